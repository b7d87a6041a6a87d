package dev.verigen.reward.scoring;

/** Error codes of remote scorers and of the resilience policies around them, reported in {@code JobError.code}. */
public final class ScorerErrors {

    /** The reward server refused for load (HTTP 429). Retryable after backing off. */
    public static final String RATE_LIMITED = "rate_limited";
    /** The reward server failed (HTTP 5xx). Retryable. */
    public static final String SCORER_ERROR = "scorer_error";
    /** The reward server could not be reached (connection refused, reset, DNS). Retryable. */
    public static final String SCORER_UNREACHABLE = "scorer_unreachable";
    /** No answer within the request timeout or the attempt's time limit (or HTTP 408). Retryable. */
    public static final String SCORER_TIMEOUT = "scorer_timeout";
    /** The server rejected the request (400, 401, 404, 422 ...): the same request fails again. Not retryable. */
    public static final String BAD_REQUEST = "bad_request";
    /** The response was not the expected JSON (unparsable, scores missing or not matching the candidates). Retryable. */
    public static final String MALFORMED_RESPONSE = "malformed_response";
    /** The scorer's circuit breaker is open; the server was not called. Retryable (later). */
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** The scorer's bulkhead was full for longer than its max wait; the server was not called. Retryable. */
    public static final String OVERLOADED = "overloaded";
    /** The job's deadline passed before an attempt could start. Not retryable. */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";

    private ScorerErrors() {
    }
}
