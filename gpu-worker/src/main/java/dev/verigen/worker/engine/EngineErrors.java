package dev.verigen.worker.engine;

/** The error codes a worker reports in {@code JobError.code}; shared by all backends so the orchestrator sees one vocabulary. */
public final class EngineErrors {

    /** The engine did not answer in time. Retryable: another attempt, maybe on another worker, can succeed. */
    public static final String TIMEOUT = "engine_timeout";
    /** The engine refused for load (HTTP 429). Retryable after backing off. */
    public static final String RATE_LIMITED = "rate_limited";
    /** The engine failed (HTTP 5xx). Retryable. */
    public static final String ENGINE_ERROR = "engine_error";
    /** The engine answered with something that could not be read. Retryable: sampling may go better next time. */
    public static final String MALFORMED_OUTPUT = "malformed_output";
    /** The job's deadline had passed before it ran. Not retryable: the same job can never be on time. */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    /** The request reached a worker of another pool. Not retryable without re-routing. */
    public static final String WRONG_POOL = "wrong_pool";
    /** The request cannot be served as given (e.g. rejected by the backend's validation). Not retryable. */
    public static final String BAD_REQUEST = "bad_request";
    /** The orchestrator cancelled the job ({@code CancelJobs}); what was generated before is reported. Not retryable. */
    public static final String CANCELLED = "cancelled";
    /** An unexpected failure inside the worker. Retryable: it may be transient. */
    public static final String WORKER_ERROR = "worker_error";

    // codes of remote engines (openai backend) and of the resilience decorator around every backend
    /** The engine could not be reached (connection refused, reset, DNS). Retryable. */
    public static final String ENGINE_UNREACHABLE = "engine_unreachable";
    /** The engine's HTTP response was not the expected JSON (unparsable, no choices). Retryable. */
    public static final String MALFORMED_RESPONSE = "malformed_response";
    /** The worker's circuit breaker for the engine is open; the engine was not called. Retryable (later/elsewhere). */
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** The worker's bulkhead was full for longer than its max wait; the engine was not called. Retryable. */
    public static final String OVERLOADED = "overloaded";

    /** Scoring mode (continuations) is not possible with this engine, e.g. a server that echoes no prompt logprobs. Not retryable. */
    public static final String SCORING_UNSUPPORTED = "scoring_unsupported";

    private EngineErrors() {
    }
}
