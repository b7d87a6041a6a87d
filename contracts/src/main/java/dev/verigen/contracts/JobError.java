package dev.verigen.contracts;

/**
 * Why a job produced no (complete) result. Every failed job reports one of these; silence is never an answer.
 *
 * @param code      stable machine-readable reason, e.g. {@code engine_timeout}, {@code bad_request}
 * @param message   human-readable detail, free of secrets and stack traces
 * @param retryable whether the same job may succeed if dispatched again
 */
public record JobError(String code, String message, boolean retryable) {

    public JobError {
        requireText(code, "code");
        message = message == null ? "" : message;
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
