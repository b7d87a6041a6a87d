package dev.verigen.support.problems;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one wire shape of an error, shared by every service (servlet or reactive): RFC 9457 members ({@code type},
 * {@code title}, {@code status}, {@code detail}), the offending {@code field} and all {@code errors[]} for invalid
 * input, and an OpenAI-style {@code error} object so that OpenAI SDKs pointed at Verigen show the same message.
 * Text quoted back from a request is sanitised so that the problem itself always encodes.
 */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:verigen:problem:";
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    public static Map<String, Object> body(ApiProblem problem) {
        return body(problem.status().value(), problem.slug(), problem.title(), problem.getMessage(), problem.errors());
    }

    public static Map<String, Object> body(int status, String slug, String title, String detail,
                                           List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        String cleanDetail = sanitize(detail);
        if (cleanDetail != null) {
            body.put("detail", cleanDetail);
        }
        List<FieldError> clean = errors.stream()
                .map(e -> new FieldError(sanitize(e.field()), sanitize(e.message()))).toList();
        String field = clean.isEmpty() ? null : clean.getFirst().field();
        if (field != null) {
            body.put("field", field);
            body.put("errors", clean.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        Map<String, Object> openAi = new LinkedHashMap<>();
        openAi.put("message", cleanDetail == null ? title : cleanDetail);
        openAi.put("type", openAiType(status));
        openAi.put("param", field);
        openAi.put("code", slug);
        body.put("error", openAi);
        return body;
    }

    /** {@code Retry-After} in whole seconds, never 0 (a client told 0 would retry at once and be refused again). */
    public static String retryAfterSeconds(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    public static String slugFor(int status) {
        return switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            case 500 -> "internal";
            case 502 -> "bad-gateway";
            case 503 -> "service-unavailable";
            case 504 -> "gateway-timeout";
            default -> "http-" + status;
        };
    }

    private static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /**
     * Replaces unpaired surrogates with U+FFFD. Text decoded from JSON escapes can hold them, and a JSON encoder
     * refuses to write them back out, which would turn an error about odd input into a server error.
     */
    public static String sanitize(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                             && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
