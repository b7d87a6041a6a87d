package dev.verigen.orchestrator.experiments.metrics;

import java.util.List;

/**
 * The metrics of one experiment.
 *
 * @param seed  the seed the Monte-Carlo estimates were drawn with: the same runs and seed give the same report
 * @param arms  one entry per arm, in the order the arms first appear in the runs
 * @param items one entry per item, pooled over every arm
 */
public record Report(long seed, List<ArmMetrics> arms, List<ItemMetrics> items) {
}
