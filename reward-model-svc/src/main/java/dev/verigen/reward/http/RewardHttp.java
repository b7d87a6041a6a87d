package dev.verigen.reward.http;

import dev.verigen.reward.scoring.ScorerErrors;
import dev.verigen.reward.scoring.ScorerException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON over HTTP to one reward server, shared by the backends: the bearer key, the request timeout, and the mapping of
 * failures to {@link ScorerErrors} codes (429 → rate_limited, 5xx → scorer_error, connection → scorer_unreachable,
 * timeout/408 → scorer_timeout, all retryable; other 4xx → bad_request, not; a body that is not JSON →
 * malformed_response, retryable). Messages carry the status and the first 300 characters of the body, with the key
 * replaced by {@code ***} should the server echo it.
 */
public final class RewardHttp {

    private static final Logger log = LoggerFactory.getLogger(RewardHttp.class);
    private static final int BODY_SNIPPET = 300;
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String scorer;
    private final ScorerConfig config;
    private final HttpClient http;

    public RewardHttp(String scorer, ScorerConfig config) {
        this(scorer, config, HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // inference servers speak HTTP/1.1; the h2c upgrade attempt of the default confuses some (uvicorn)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    RewardHttp(String scorer, ScorerConfig config, HttpClient http) {
        this.scorer = scorer;
        this.config = config;
        this.http = http;
    }

    /** A parsed JSON answer, the time the request took, and the token count a server reported in a header, if any. */
    public record Reply(JsonNode json, long engineMs, OptionalLong headerTokens) {
    }

    public ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The endpoint URL: {@code path} (or the configured override) under the base URL. */
    public URI uri(String path) {
        String base = config.baseUrl().toString().replaceAll("/+$", "");
        String p = config.path() != null && !config.path().isBlank() ? config.path().strip() : path;
        return URI.create(base + (p.startsWith("/") ? p : "/" + p));
    }

    public Reply post(String path, ObjectNode body) {
        long start = System.nanoTime();
        URI uri = uri(path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
        if (config.apiKey() != null) {
            builder.header("Authorization", "Bearer " + config.apiKey());
        }
        log.debug("scorer '{}': POST {}", scorer, uri);
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw fail(ScorerErrors.SCORER_UNREACHABLE, "could not connect to " + uri + " within "
                    + config.connectTimeout(), true, start);
        } catch (HttpTimeoutException e) {
            throw fail(ScorerErrors.SCORER_TIMEOUT, "no response from " + uri + " within " + config.timeout(), true, start);
        } catch (IOException e) {
            throw fail(ScorerErrors.SCORER_UNREACHABLE, "cannot reach " + uri + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(ScorerErrors.SCORER_ERROR, "interrupted while waiting for " + uri, true, start);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String message = "HTTP " + status + " from " + uri + ": " + snippet(response.body());
            throw switch (status) {
                case 429 -> fail(ScorerErrors.RATE_LIMITED, message, true, start);
                case 408 -> fail(ScorerErrors.SCORER_TIMEOUT, message, true, start);
                default -> status >= 500
                        ? fail(ScorerErrors.SCORER_ERROR, message, true, start)
                        // 400/401/404/422 ...: the same request fails the same way again
                        : fail(ScorerErrors.BAD_REQUEST, message, false, start);
            };
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (JacksonException e) {
            throw fail(ScorerErrors.MALFORMED_RESPONSE, "response of " + uri + " is not JSON: " + e.getOriginalMessage()
                    + " (body: " + snippet(response.body()) + ")", true, start);
        }
        if (json == null || json.isMissingNode() || json.isNull()) {
            throw fail(ScorerErrors.MALFORMED_RESPONSE, "empty response from " + uri, true, start);
        }
        OptionalLong tokens = response.headers().firstValueAsLong("x-compute-tokens");
        return new Reply(json, elapsedMs(start), tokens);
    }

    /** A failure of this scorer with the key redacted; {@code startNanos} gives the time spent. */
    public ScorerException fail(String code, String message, boolean retryable, long startNanos) {
        return new ScorerException(code, "scorer '" + scorer + "': " + redact(message), retryable, elapsedMs(startNanos));
    }

    /** A malformed answer: the JSON parsed but does not have the shape the backend expects. */
    public ScorerException malformed(String message, long engineMs) {
        return new ScorerException(ScorerErrors.MALFORMED_RESPONSE, "scorer '" + scorer + "': " + redact(message), true,
                engineMs);
    }

    private String snippet(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= BODY_SNIPPET ? oneLine : oneLine.substring(0, BODY_SNIPPET) + "...";
    }

    /** Texts from the server travel into results and logs; a server that echoes the key must not leak it. */
    String redact(String text) {
        return config.apiKey() == null || text == null ? text : text.replace(config.apiKey(), "***");
    }

    static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** About four characters per token, for servers that report no usage. */
    public static long estimateTokens(String text) {
        return (text.length() + 3L) / 4;
    }
}
