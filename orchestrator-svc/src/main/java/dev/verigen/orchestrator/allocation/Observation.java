package dev.verigen.orchestrator.allocation;

import java.util.Objects;

/**
 * One measurement on training data for {@link CurveBook#fit}: an item whose voting samples showed {@code features}
 * (the difficulty estimate's inputs at {@code features.samples()} samples, the stage), and what an arm then achieved.
 * For the voting arm: whether the pooled vote over {@code size} samples (those {@code features} came from, plus more)
 * was right. For a search arm: whether one run of it (of size {@code size}) was right.
 *
 * @param tokens    what reaching that cost: all {@code size} samples' tokens (voting), the run's tokens (search)
 * @param solveRate the item's per-sample solve rate when known (training labels), for the verifier ceiling
 */
public record Observation(String strategy, Features features, int size, double tokens, boolean correct,
                          Double solveRate) {

    public Observation {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(features, "features");
        if (size < 1 || tokens < 0) {
            throw new IllegalArgumentException("size must be positive and tokens not negative");
        }
    }

    public int stage() {
        return features.samples();
    }
}
