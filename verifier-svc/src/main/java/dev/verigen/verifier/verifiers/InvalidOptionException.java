package dev.verigen.verifier.verifiers;

/** A job's verifier options cannot be used; the job fails as a whole, since re-sending it would fail again. */
public class InvalidOptionException extends RuntimeException {

    private final String option;

    public InvalidOptionException(String message) {
        this(null, message);
    }

    /** @param option the offending option's path within the verifier spec (e.g. {@code tolerance}), when known */
    public InvalidOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The offending option's path, e.g. {@code tolerance} or {@code verifiers[1].type}; null when unknown. */
    public String option() {
        return option;
    }
}
