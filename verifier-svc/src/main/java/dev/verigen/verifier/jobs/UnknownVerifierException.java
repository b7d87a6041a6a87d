package dev.verigen.verifier.jobs;

import java.util.Set;

/** No verifier bean has the asked-for type. */
public class UnknownVerifierException extends RuntimeException {

    private final Set<String> available;

    public UnknownVerifierException(String type, Set<String> available) {
        super("unknown verifier '" + dev.verigen.verifier.answers.Text.excerpt(type, 64) + "'; available: " + available,
                null, false, false);
        this.available = Set.copyOf(available);
    }

    public Set<String> available() {
        return available;
    }
}
