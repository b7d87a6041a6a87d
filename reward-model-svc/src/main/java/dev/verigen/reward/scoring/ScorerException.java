package dev.verigen.reward.scoring;

/** A scorer's own account of why it could not score a job, e.g. a backend's 503 (retryable) or bad input (not). */
public class ScorerException extends RuntimeException {

    private final String code;
    private final boolean retryable;
    private final long engineMs;
    private final dev.verigen.contracts.Usage spent;

    public ScorerException(String code, String message, boolean retryable) {
        this(code, message, retryable, 0);
    }

    /** @param engineMs time spent on the reward server before failing; real spend, reported in the result's usage */
    public ScorerException(String code, String message, boolean retryable, long engineMs) {
        super(message);
        this.code = code;
        this.retryable = retryable;
        this.engineMs = engineMs;
        this.spent = new dev.verigen.contracts.Usage(0, 0, 0, engineMs, 0);
    }

    /** @param spent what was really used before failing (tokens and calls of model-backed scorers), reported as such */
    public ScorerException(String code, String message, boolean retryable, dev.verigen.contracts.Usage spent) {
        super(message);
        this.code = code;
        this.retryable = retryable;
        this.spent = spent == null ? dev.verigen.contracts.Usage.ZERO : spent;
        this.engineMs = this.spent.engineMs();
    }

    public dev.verigen.contracts.Usage spent() {
        return spent;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public long engineMs() {
        return engineMs;
    }
}
