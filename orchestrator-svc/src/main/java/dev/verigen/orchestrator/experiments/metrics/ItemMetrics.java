package dev.verigen.orchestrator.experiments.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one dataset item fared over a set of runs.
 *
 * @param accuracy share of runs whose selected answer was correct; runs without one count as wrong
 * @param pass1    correct samples / samples, pooled over the runs: the oracle difficulty of Snell et al.
 *                 (2024) when the runs sample the base model; null when the runs drew no samples
 * @param samples  samples pooled over the runs
 */
public record ItemMetrics(String item, int runs, double accuracy, Double pass1, long samples) {

    /** One entry per item, in the order the items first appear. */
    public static List<ItemMetrics> byItem(List<GradedRun> runs) {
        Map<String, List<GradedRun>> grouped = new LinkedHashMap<>();
        for (GradedRun run : runs) {
            grouped.computeIfAbsent(run.itemId(), item -> new ArrayList<>()).add(run);
        }
        List<ItemMetrics> items = new ArrayList<>(grouped.size());
        grouped.forEach((item, itemRuns) -> items.add(of(item, itemRuns)));
        return List.copyOf(items);
    }

    private static ItemMetrics of(String item, List<GradedRun> runs) {
        int right = 0;
        long samples = 0;
        long correct = 0;
        for (GradedRun run : runs) {
            right += Boolean.TRUE.equals(run.selectedCorrect()) ? 1 : 0;
            samples += run.samples().size();
            correct += run.samples().stream().filter(GradedSample::correct).count();
        }
        return new ItemMetrics(item, runs.size(), (double) right / runs.size(),
                samples == 0 ? null : (double) correct / samples, samples);
    }

    /** The items' pass@1 as {@link DifficultyBins#of} takes it, leaving out items without samples. */
    public static Map<String, Double> pass1ByItem(List<ItemMetrics> items) {
        Map<String, Double> pass1 = new LinkedHashMap<>();
        for (ItemMetrics m : items) {
            if (m.pass1() != null) {
                pass1.put(m.item(), m.pass1());
            }
        }
        return pass1;
    }
}
