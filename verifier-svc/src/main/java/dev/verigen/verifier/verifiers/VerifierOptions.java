package dev.verigen.verifier.verifiers;

import java.util.Map;

/** Typed access to a job's verifier options, which travel as strings. */
public record VerifierOptions(Map<String, String> values) {

    public static final VerifierOptions NONE = new VerifierOptions(Map.of());

    public VerifierOptions {
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public boolean flag(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new InvalidOptionException(name, "option " + name + " must be true or false, was '" + v + "'");
        };
    }

    /** A finite, non-negative number, or {@code fallback} when absent. */
    public double nonNegative(String name, double fallback) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new InvalidOptionException(name, "option " + name + " must be a non-negative number, was '" + v + "'");
    }
}
