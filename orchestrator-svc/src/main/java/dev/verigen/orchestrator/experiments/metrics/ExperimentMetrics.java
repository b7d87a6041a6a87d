package dev.verigen.orchestrator.experiments.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns an experiment's graded runs into its report. Pure: the same runs and seed give the same report. */
public final class ExperimentMetrics {

    private ExperimentMetrics() {
    }

    /**
     * @param runs every run of the experiment, any status
     * @param seed seeds the Monte-Carlo subsets of majority@k and best-of-N@k
     */
    public static Report compute(List<GradedRun> runs, long seed) {
        Map<String, List<GradedRun>> byArm = new LinkedHashMap<>();
        for (GradedRun run : runs) {
            byArm.computeIfAbsent(run.arm(), arm -> new ArrayList<>()).add(run);
        }
        List<ArmMetrics> arms = new ArrayList<>(byArm.size());
        byArm.forEach((arm, armRuns) -> arms.add(arm(arm, armRuns, seed)));
        return new Report(seed, List.copyOf(arms), ItemMetrics.byItem(runs));
    }

    private static ArmMetrics arm(String arm, List<GradedRun> runs, long seed) {
        int right = 0;
        int answered = 0;
        long tokens = 0;
        long calls = 0;
        BigDecimal flops = null;
        Set<String> items = new HashSet<>();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<GradedSample> samples = new ArrayList<>();
        for (GradedRun run : runs) {
            right += Boolean.TRUE.equals(run.selectedCorrect()) ? 1 : 0;
            answered += run.selectedCorrect() != null ? 1 : 0;
            tokens += run.tokens();
            calls += run.calls();
            if (run.flops() != null) {
                flops = flops == null ? run.flops() : flops.add(run.flops());
            }
            items.add(run.itemId());
            statuses.merge(String.valueOf(run.status()), 1, Integer::sum);
            samples.addAll(run.samples());
        }
        int n = runs.size();
        Curves curves = curves(arm, runs, seed);
        return new ArmMetrics(arm, n, items.size(), Collections.unmodifiableMap(statuses), (double) right / n,
                (double) answered / n, (double) tokens / n, tokens, flops, calls, curves.pass, curves.majority,
                curves.bestOfN, CoverageFit.of(curves.pass), VerifierRates.of(samples), ItemMetrics.byItem(runs),
                VerifierRates.ofScores(samples, 0.5), agreement(runs), byTemperature(runs));
    }

    /** Agreement as a verdict: a sample passes when its answer is its run's most frequent (earliest on ties). */
    private static VerifierRates agreement(List<GradedRun> runs) {
        List<GradedSample> judged = new ArrayList<>();
        java.util.Map<GradedSample, Boolean> verdicts = new java.util.IdentityHashMap<>();
        for (GradedRun run : runs) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            run.samples().stream().filter(s -> s.answer() != null).forEach(s -> counts.merge(s.answer(), 1, Integer::sum));
            String leader = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(null);
            for (GradedSample s : run.samples()) {
                if (s.answer() != null && leader != null) {
                    judged.add(s);
                    verdicts.put(s, s.answer().equals(leader));
                }
            }
        }
        return VerifierRates.of(judged, verdicts::get);
    }

    /** Coverage per temperature, when the runs' samples were drawn at more than one. */
    private static List<ArmMetrics.TemperatureCoverage> byTemperature(List<GradedRun> runs) {
        TreeSet<Double> temperatures = new TreeSet<>();
        runs.forEach(r -> r.samples().stream().map(GradedSample::temperature).filter(java.util.Objects::nonNull)
                .forEach(temperatures::add));
        if (temperatures.size() < 2) {
            return List.of();
        }
        List<ArmMetrics.TemperatureCoverage> out = new ArrayList<>();
        for (double t : temperatures) {
            List<int[]> perRun = new ArrayList<>(); // {n, correct, distinct}
            for (GradedRun run : runs) {
                List<GradedSample> at = run.samples().stream().filter(s -> s.temperature() != null
                        && s.temperature() == t).toList();
                if (!at.isEmpty()) {
                    int correct = (int) at.stream().filter(GradedSample::correct).count();
                    int distinct = (int) at.stream().map(GradedSample::answer).filter(java.util.Objects::nonNull)
                            .distinct().count();
                    perRun.add(new int[]{at.size(), correct, distinct});
                }
            }
            int samples = perRun.stream().mapToInt(r -> r[0]).sum();
            int correct = perRun.stream().mapToInt(r -> r[1]).sum();
            TreeSet<Integer> grid = new TreeSet<>();
            perRun.forEach(r -> grid.addAll(PassAtK.ks(r[0])));
            List<AtK> pass = new ArrayList<>();
            for (int k : grid) {
                double sum = 0;
                int counted = 0;
                for (int[] r : perRun) {
                    if (r[0] >= k) {
                        sum += PassAtK.estimate(r[0], r[1], k);
                        counted++;
                    }
                }
                pass.add(new AtK(k, sum / counted, counted));
            }
            out.add(new ArmMetrics.TemperatureCoverage(t, samples, samples == 0 ? 0 : (double) correct / samples,
                    perRun.stream().mapToInt(r -> r[2]).average().orElse(0), List.copyOf(pass)));
        }
        return List.copyOf(out);
    }

    private record Curves(List<AtK> pass, List<AtK> majority, List<AtK> bestOfN) {
    }

    /**
     * Every at-k metric on the union of the runs' k grids. At each k the mean is over the runs that drew at least
     * k samples: a budget may have cut some runs short, and a run of 6 samples says nothing about k = 8, but it
     * does about k = 4 — which is also why runs of 8 are evaluated at k = 6 when a sibling run stopped there.
     */
    private static Curves curves(String arm, List<GradedRun> runs, long seed) {
        List<RunSamples> prepared = new ArrayList<>(runs.size());
        TreeSet<Integer> grid = new TreeSet<>();
        boolean anyScore = false;
        for (GradedRun run : runs) {
            RunSamples s = RunSamples.of(run);
            prepared.add(s);
            grid.addAll(PassAtK.ks(s.n));
            anyScore |= s.anyScore;
        }
        List<AtK> pass = new ArrayList<>();
        List<AtK> majority = new ArrayList<>();
        List<AtK> bestOfN = new ArrayList<>();
        for (int k : grid) {
            double passSum = 0;
            double majoritySum = 0;
            double bestSum = 0;
            int counted = 0;
            int scoredRuns = 0;
            for (int i = 0; i < runs.size(); i++) {
                RunSamples s = prepared.get(i);
                if (s.n < k) {
                    continue;
                }
                GradedRun run = runs.get(i);
                RunSamples.Selection picked = s.selectAt(k, Subsets.seed(seed, arm, run.itemId(), run.seed(), k));
                passSum += s.passAt(k);
                majoritySum += picked.majority();
                counted++;
                if (picked.bestOfN() != null) {
                    bestSum += picked.bestOfN();
                    scoredRuns++;
                }
            }
            pass.add(new AtK(k, passSum / counted, counted));
            majority.add(new AtK(k, majoritySum / counted, counted));
            if (scoredRuns > 0) {
                bestOfN.add(new AtK(k, bestSum / scoredRuns, scoredRuns));
            }
        }
        return new Curves(List.copyOf(pass), List.copyOf(majority), anyScore ? List.copyOf(bestOfN) : null);
    }
}
