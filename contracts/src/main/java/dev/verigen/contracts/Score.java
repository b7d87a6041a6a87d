package dev.verigen.contracts;

import java.util.Objects;
import java.util.UUID;

/** A reward model's score of one candidate; higher is better, in [0, 1] for outcome reward models. */
public record Score(UUID candidateId, double value) {
    public Score {
        Objects.requireNonNull(candidateId, "candidateId");
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("score must be finite");
        }
    }
}
