package dev.verigen.verifier.stats;

import java.util.Locale;
import java.util.Optional;

/** Ground truth about a candidate, supplied by a caller that knows it (an evaluation set, a human review). */
public enum Label {
    CORRECT, INCORRECT;

    /** {@code correct} or {@code incorrect}, in any case; empty for anything else. */
    public static Optional<Label> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "correct" -> Optional.of(CORRECT);
            case "incorrect" -> Optional.of(INCORRECT);
            default -> Optional.empty();
        };
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
