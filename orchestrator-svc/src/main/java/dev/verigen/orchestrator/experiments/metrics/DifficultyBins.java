package dev.verigen.orchestrator.experiments.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items binned by difficulty into quantiles of their pass@1, as Snell et al. (2024) bin questions to pick a
 * test-time strategy per difficulty. Bin 0 is the easiest (highest pass@1).
 *
 * @param binOf item → bin
 * @param bins  per bin, the pass@1 range it covers and how many items it holds
 */
public record DifficultyBins(Map<String, Integer> binOf, List<Bin> bins) {

    /**
     * @param highest the highest pass@1 in the bin, null when the bin is empty
     * @param lowest  the lowest pass@1 in the bin, null when the bin is empty
     */
    public record Bin(int bin, Double highest, Double lowest, int items) {
    }

    /**
     * Ranks the items from easiest to hardest and cuts the ranking into {@code bins} groups of near-equal size.
     * Items with the same pass@1 always share a bin (the easier one their run starts in): they are
     * indistinguishable by difficulty, and splitting them by name would make a bin depend on spelling. So with
     * many ties a bin may hold more than its share, and later ones fewer or none. Items whose pass@1 is null or
     * NaN are left out.
     */
    public static DifficultyBins of(Map<String, Double> pass1, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        for (Map.Entry<String, Double> e : pass1.entrySet()) {
            if (e.getValue() != null && !e.getValue().isNaN()) {
                ranked.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        ranked.sort(Comparator.comparing((Map.Entry<String, Double> e) -> e.getValue()).reversed()
                .thenComparing(Map.Entry::getKey));
        int m = ranked.size();
        Map<String, Integer> binOf = new LinkedHashMap<>();
        double[] highest = new double[bins];
        double[] lowest = new double[bins];
        int[] count = new int[bins];
        int bin = 0;
        for (int i = 0; i < m; i++) {
            double value = ranked.get(i).getValue();
            boolean tiedWithPrevious = i > 0 && value == ranked.get(i - 1).getValue();
            if (!tiedWithPrevious) {
                bin = Math.max(bin, (int) ((long) i * bins / m));
            }
            binOf.put(ranked.get(i).getKey(), bin);
            if (count[bin] == 0) {
                highest[bin] = value;
            }
            lowest[bin] = value;
            count[bin]++;
        }
        List<Bin> ranges = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            ranges.add(count[b] == 0 ? new Bin(b, null, null, 0) : new Bin(b, highest[b], lowest[b], count[b]));
        }
        // kept in ranking order, easiest first, for whoever prints it
        return new DifficultyBins(Collections.unmodifiableMap(binOf), List.copyOf(ranges));
    }
}
