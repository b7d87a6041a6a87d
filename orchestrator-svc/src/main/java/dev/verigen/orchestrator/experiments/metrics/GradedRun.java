package dev.verigen.orchestrator.experiments.metrics;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One run: one item under one arm (pipeline label + budget label) and seed.
 *
 * @param status          SUCCEEDED, FAILED, CANCELLED, ... as the run ended
 * @param selectedCorrect the run's final answer graded; null when it gave none (failed or abstained)
 * @param flops           estimated FLOPs spent, or null when unknown
 * @param samples         the run's generation samples; null reads as none
 * @param selectedAnswer  the run's final answer, normalised (what a batch allocator reads back); null when none
 * @param selectedScore   the score the run chose it by, when it had one
 */
public record GradedRun(String itemId, String arm, long seed, String status, Boolean selectedCorrect,
                        long tokens, BigDecimal flops, long calls, List<GradedSample> samples,
                        String selectedAnswer, Double selectedScore) {

    public GradedRun {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(arm, "arm");
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    public GradedRun(String itemId, String arm, long seed, String status, Boolean selectedCorrect, long tokens,
                     BigDecimal flops, long calls, List<GradedSample> samples) {
        this(itemId, arm, seed, status, selectedCorrect, tokens, flops, calls, samples, null, null);
    }
}
