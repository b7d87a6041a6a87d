package dev.verigen.contracts;

import java.util.Map;

/**
 * Which verifier to run and how.
 *
 * @param type    verifier name, e.g. {@code exact} or {@code numeric}
 * @param options verifier-specific settings, e.g. {@code tolerance} for {@code numeric}
 */
public record VerifierSpec(String type, Map<String, String> options) {

    public VerifierSpec {
        JobError.requireText(type, "type");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static VerifierSpec of(String type) {
        return new VerifierSpec(type, Map.of());
    }
}
