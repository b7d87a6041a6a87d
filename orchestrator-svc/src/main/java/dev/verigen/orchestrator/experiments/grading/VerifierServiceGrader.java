package dev.verigen.orchestrator.experiments.grading;

import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import dev.verigen.support.access.IdentityHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * Items whose truth takes running something (SQL against the sandbox database, code against unit tests): verifier-svc
 * judges the answer with the item's reference through its HTTP API, the same verifier beans pipelines use.
 *
 * @throws GradingUnavailable when verifier-svc cannot be reached, so the cell is graded again later rather than
 *         recorded as wrong
 */
public final class VerifierServiceGrader implements Grader {

    private final RestClient client;
    private final TaskKind kind;

    /**
     * @param gatewaySecret sent as {@link IdentityHeaders#GATEWAY_SECRET}: verifier-svc answers nobody without it
     */
    public VerifierServiceGrader(URI verifierService, Duration timeout, TaskKind kind, Optional<String> gatewaySecret) {
        var factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(timeout);
        factory.setReadTimeout(timeout);
        RestClient.Builder builder = RestClient.builder().baseUrl(verifierService.toString()).requestFactory(factory);
        gatewaySecret.ifPresent(secret -> builder.defaultHeader(IdentityHeaders.GATEWAY_SECRET, secret));
        this.client = builder.build();
        this.kind = kind;
    }

    @Override
    public Boolean correct(SuiteItem item, String text, String answer) {
        if (item.reference() == null || item.reference().isBlank()) {
            return null;
        }
        try {
            JsonNode verdict = client.post().uri("/v1/verifications").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("verifier", kind.verifier(), "candidate", text, "reference", item.reference(),
                            "prompt", item.prompt()))
                    .retrieve().body(JsonNode.class);
            return verdict != null && "PASS".equals(verdict.path("outcome").asString(""));
        } catch (org.springframework.web.client.HttpClientErrorException refused) {
            // the verifier refused the candidate itself (too large, not decodable): it cannot be a right answer
            return false;
        } catch (RuntimeException e) {
            throw new GradingUnavailable(kind.verifier() + " grading failed: " + e.getMessage(), e);
        }
    }

    public static final class GradingUnavailable extends RuntimeException {
        public GradingUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
