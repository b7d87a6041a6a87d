package dev.verigen.verifier.verifiers;

/** A job's verifier options cannot be used; the job fails as a whole, since re-sending it would fail again. */
public class InvalidOptionException extends RuntimeException {

    public InvalidOptionException(String message) {
        super(message);
    }
}
