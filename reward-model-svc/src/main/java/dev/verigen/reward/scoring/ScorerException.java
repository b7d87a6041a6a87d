package dev.verigen.reward.scoring;

/** A scorer's own account of why it could not score a job, e.g. a backend's 503 (retryable) or bad input (not). */
public class ScorerException extends RuntimeException {

    private final String code;
    private final boolean retryable;

    public ScorerException(String code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
