package dev.verigen.reward.scoring;

import java.util.Locale;
import java.util.Optional;

/**
 * How a process reward model's per-step scores (each in [0, 1], the probability that the step is right) become one
 * score per candidate. A candidate without steps (empty text) scores 0 under every rule.
 */
public enum Aggregation {
    /** The last step's score: the PRM's judgement of the whole solution once it has read all of it. */
    LAST,
    /** The weakest step: one wrong step spoils a solution (the usual choice for math PRMs). */
    MIN,
    /** The product: the probability that every step is right, if the steps were independent; shrinks with length. */
    PRODUCT,
    /** The arithmetic mean: forgiving of one bad step; rewards long solutions with many easy steps. */
    MEAN;

    public double apply(double[] steps) {
        if (steps.length == 0) {
            return 0;
        }
        return switch (this) {
            case LAST -> steps[steps.length - 1];
            case MIN -> {
                double m = Double.POSITIVE_INFINITY;
                for (double s : steps) {
                    m = Math.min(m, s);
                }
                yield m;
            }
            case PRODUCT -> {
                double p = 1;
                for (double s : steps) {
                    p *= s;
                }
                yield p;
            }
            case MEAN -> {
                double sum = 0;
                for (double s : steps) {
                    sum += s;
                }
                yield sum / steps.length;
            }
        };
    }

    /** The configuration / variant spelling: {@code last}, {@code min}, {@code product}, {@code mean}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Aggregation> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (Aggregation a : values()) {
            if (a.key().equalsIgnoreCase(s.strip())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
