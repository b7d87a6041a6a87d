package dev.verigen.worker.engine;

/**
 * A failure of the engine with a stable code for {@code JobError}.
 *
 * @see EngineErrors for the codes in use
 */
public class EngineException extends RuntimeException {

    private final String code;
    private final boolean retryable;
    private final long engineMs;

    public EngineException(String code, String message, boolean retryable, long engineMs) {
        super(message);
        this.code = code;
        this.retryable = retryable;
        this.engineMs = engineMs;
    }

    public EngineException(String code, String message, boolean retryable) {
        this(code, message, retryable, 0);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Engine time spent before the failure; it is real spend and settles against the budget. */
    public long engineMs() {
        return engineMs;
    }
}
