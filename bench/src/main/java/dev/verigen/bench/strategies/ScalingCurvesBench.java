package dev.verigen.bench.strategies;

import dev.verigen.bench.Args;
import dev.verigen.bench.Report;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Config;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Result;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.FirstFinish;
import dev.verigen.orchestrator.strategies.IterativeAgentDecoding;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Accuracy against tokens of every strategy as its compute knob turns (samples, widths, rounds, caps) on the
 * simulator task suite: the same tasks, seeds, budget and measurement as {@link StrategyAccuracyBench}, many settings
 * per strategy, then the frontier over all of them.
 */
public final class ScalingCurvesBench {

    /** One strategy's settings, cheapest first; each config's label is its setting. */
    record Curve(String name, String note, List<Config> settings) {
    }

    /** A measured setting of a curve. */
    record Point(Curve curve, Result result) {
        String label() {
            return curve.name() + " " + result.config().label();
        }
    }

    static final int[] SAMPLES = {1, 2, 4, 8, 16, 32, 64};
    static final double[] THRESHOLDS = {0.7, 0.8, 0.9, 0.95, 0.99};

    private ScalingCurvesBench() {
    }

    static List<Curve> curves() {
        List<Curve> c = new ArrayList<>();
        c.add(new Curve("best_of_n", "N samples, sim-orm picks the best scored", sweep(n -> new Config("N=" + n,
                BestOfN::new, "best_of_n", n, "sim-orm", null))));
        c.add(new Curve("self_consistency majority", "N samples, the most frequent answer",
                sweep(n -> new Config("N=" + n, SelfConsistency::new, "self_consistency", n, null, null))));
        c.add(new Curve("self_consistency weighted", "N samples, answers weighed by summed sim-orm scores",
                sweep(n -> new Config("N=" + n, SelfConsistency::new, "self_consistency", n, "sim-orm",
                        "{\"vote\": \"weighted\"}"))));
        List<Config> adaptive = new ArrayList<>();
        for (int cap : new int[]{8, 16, 32, 64}) {
            adaptive.add(new Config("N≤" + cap + ", confidence 0.95", SelfConsistency::new, "self_consistency", cap,
                    null, "{\"adaptive\": {\"batch\": 4, \"confidence\": 0.95}}"));
        }
        for (double confidence : new double[]{0.8, 0.9, 0.99}) {
            adaptive.add(new Config("N≤64, confidence " + confidence, SelfConsistency::new, "self_consistency", 64,
                    null, "{\"adaptive\": {\"batch\": 4, \"confidence\": " + confidence + "}}"));
        }
        c.add(new Curve("self_consistency adaptive", "majority vote in batches of 4, stopping once the leader is safe "
                + "(Beta criterion) or at the cap", adaptive));
        List<Config> beams = new ArrayList<>(widths(BeamSearch::new, "beam_search"));
        beams.add(new Config("4×4, lookahead 1", BeamSearch::new, "beam_search", 16, null,
                "{\"beamWidth\": 4, \"expansions\": 4, \"lookahead\": 1, \"prm\": \"sim-prm:last\"}"));
        c.add(new Curve("beam_search", "beamWidth × expansions one-step continuations per round, sim-prm:last keeps "
                + "the best beamWidth", beams));
        c.add(new Curve("dvts", "beamWidth independent subtrees, each expanded `expansions` ways per round",
                widths(Dvts::new, "dvts")));
        List<Config> particles = new ArrayList<>();
        for (int n : new int[]{1, 2, 4, 8, 16}) {
            particles.add(new Config("N=" + n, ParticleFilter::new, "particle_filter", n, null,
                    "{\"prm\": \"sim-prm:last\"}"));
        }
        c.add(new Curve("particle_filter", "N particles advanced a step at a time, resampled by sim-prm:last",
                particles));
        List<Config> lookahead = new ArrayList<>();
        for (int n : new int[]{1, 2, 4, 8}) {
            lookahead.add(new Config("N=" + n, ParticleFilter::new, "particle_filter", n, null,
                    "{\"prm\": \"sim-prm:last\", \"lookahead\": true}"));
        }
        c.add(new Curve("particle_filter look-ahead", "as particle_filter, each step's weight moved toward the score "
                + "of a one-step greedy roll-out (ePF's look-ahead modulation)", lookahead));
        List<Config> astar = new ArrayList<>();
        for (int k : new int[]{1, 2, 3, 4, 6}) {
            astar.add(new Config("k=" + k, dev.verigen.orchestrator.strategies.AStar::new, "a_star", 1, null,
                    "{\"expansions\": " + k + ", \"prm\": \"sim-prm:last\"}"));
        }
        c.add(new Curve("a_star", "best-first over partial solutions, k one-step continuations per expansion, f = "
                + "0.1·steps + (1 − sim-prm:last)", astar));
        List<Config> iad = new ArrayList<>();
        for (int rounds = 1; rounds <= 4; rounds++) {
            iad.add(new Config(rounds + (rounds == 1 ? " round" : " rounds"), IterativeAgentDecoding::new, "iad", 4,
                    "sim-orm", "{\"maxRounds\": " + rounds + ", \"keep\": 2}"));
        }
        c.add(new Curve("iad", "4 samples, then refinement rounds of the 2 best (sim-orm), stopping early when the "
                + "best stops improving", iad));
        List<Config> first = new ArrayList<>();
        for (int n : new int[]{1, 2, 4, 8, 16}) {
            first.add(new Config("N=" + n, FirstFinish::new, "first_finish", n, null, null));
        }
        c.add(new Curve("first_finish", "N samples, the first to finish answers (the others are stopped at the "
                + "workers and billed what they decoded)", first));
        c.add(new Curve("archon", "layered ensembles (sim-orm); the simulator's fuser re-solves the task",
                List.of(new Config("gen 4 → ranker 2 → fuser", Archon::new, "archon", 4, "sim-orm",
                                "{\"layers\": [[{\"type\": \"generator\", \"samples\": 4}],"
                                        + " [{\"type\": \"ranker\", \"topK\": 2}], [{\"type\": \"fuser\"}]]}"),
                        new Config("gen 8 → model verifier → ranker 3 → fuser 2", Archon::new, "archon", 8,
                                "sim-orm", "{\"layers\": [[{\"type\": \"generator\", \"samples\": 8}],"
                                + " [{\"type\": \"verifier\"}], [{\"type\": \"ranker\", \"topK\": 3}],"
                                + " [{\"type\": \"fuser\", \"samples\": 2}]]}"))));
        return c;
    }

    private static List<Config> sweep(IntFunction<Config> at) {
        List<Config> out = new ArrayList<>();
        for (int n : SAMPLES) {
            out.add(at.apply(n));
        }
        return out;
    }

    /** beamWidth × expansions, square (the step-wise search benchmarks' usual shape). */
    private static List<Config> widths(Supplier<Strategy> strategy, String name) {
        List<Config> out = new ArrayList<>();
        for (int w : new int[]{1, 2, 4, 8}) {
            out.add(new Config(w + "×" + w, strategy, name, w * w, null,
                    "{\"beamWidth\": " + w + ", \"expansions\": " + w + ", \"prm\": \"sim-prm:last\"}"));
        }
        return out;
    }

    /** The points no other point beats on both counts: cheapest first, each more accurate than every cheaper one. */
    static List<Point> frontier(List<Point> points) {
        List<Point> sorted = points.stream().filter(p -> p.result().failed() == 0)
                .sorted(Comparator.comparingDouble((Point p) -> p.result().tokensPerTask())
                        .thenComparing(p -> -p.result().accuracy()))
                .toList();
        List<Point> out = new ArrayList<>();
        double best = -1;
        for (Point p : sorted) {
            if (p.result().accuracy() > best) {
                out.add(p);
                best = p.result().accuracy();
            }
        }
        return out;
    }

    /** The fewest tokens per task at which a curve reaches {@code accuracy}, or null when it never does. */
    static Double tokensToReach(List<Point> curve, double accuracy) {
        return curve.stream().filter(p -> p.result().accuracy() >= accuracy - 1e-9)
                .map(p -> p.result().tokensPerTask()).min(Double::compare).orElse(null);
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "tasks", "seed", "budget");
        int count = Integer.parseInt(args.get("tasks", "200"));
        long seed = Long.parseLong(args.get("seed", "7"));
        long budget = Long.parseLong(args.get("budget", "40000"));
        List<Task> tasks = SimMathSuite.tasks(count, seed);
        long started = System.nanoTime();
        List<List<Point>> measured = new ArrayList<>();
        for (Curve curve : curves()) {
            List<Point> points = new ArrayList<>();
            for (Config config : curve.settings()) {
                long t0 = System.nanoTime();
                Result r = StrategyAccuracyBench.measure(config, tasks, seed, budget, new SimWorkers(seed));
                points.add(new Point(curve, r));
                System.err.printf(Locale.ROOT, "%s %s: %.3f, %.0f tokens/task (%d ms)%n", curve.name(),
                        config.label(), r.accuracy(), r.tokensPerTask(), (System.nanoTime() - t0) / 1_000_000);
            }
            measured.add(points);
        }
        double wallS = (System.nanoTime() - started) / 1e9;

        var report = new Report("curves", "Accuracy vs tokens (sim-math)");
        report.para(count + " sim-math tasks, seed " + seed + ", per-task budget " + budget + " tokens: the tasks, "
                + "seeds, budget and measurement of the strategies section above, with each strategy's compute knob "
                + "turned (samples, widths, rounds, caps). SIMULATED engine and reward models (`sim`, `sim-orm`, "
                + "`sim-prm`; " + SimWorkers.World.STRICT.describe() + "); selection never sees the reference; tokens are prompt + completion tokens of every "
                + "generation, as the budget counts them. One setting draws the same samples in every strategy that "
                + "samples independently (same seeds and labels), so best_of_n and the self_consistency votes at "
                + "one N choose among the same N samples. The likelihood vote is left out here: the simulator's logprobs "
                + "separate right from wrong by construction (0.04–0.12 against 0.1–0.3 nats per token, summed over "
                + "~50 tokens), so on sim-math it would measure the simulator, not the vote; it is measured on "
                + "the real model in the arith section. Wall time of the sweep: "
                + Math.round(wallS) + " s.");
        for (List<Point> points : measured) {
            Curve curve = points.getFirst().curve();
            report.para("#### " + curve.name() + "\n\n" + curve.note() + ".");
            List<List<String>> rows = new ArrayList<>();
            for (Point p : points) {
                Result r = p.result();
                rows.add(List.of(r.config().label(), f3(r.accuracy()), f0(r.tokensPerTask()),
                        String.format(Locale.ROOT, "%.1f", r.calls() / (double) r.tasks()),
                        Integer.toString(r.failed())));
            }
            report.table(List.of("setting", "accuracy", "tokens / task", "model calls / task", "failed runs"), rows);
        }
        List<Point> all = measured.stream().flatMap(List::stream).toList();
        List<List<String>> frontierRows = new ArrayList<>();
        for (Point p : frontier(all)) {
            frontierRows.add(List.of(f0(p.result().tokensPerTask()), f3(p.result().accuracy()), p.label()));
        }
        report.para("#### Frontier\n\nThe settings no other setting beats on both accuracy and tokens, cheapest "
                + "first (runs that failed on the budget excluded).");
        report.table(List.of("tokens / task", "accuracy", "strategy and setting"), frontierRows);
        List<String> header = new ArrayList<>(List.of("strategy"));
        for (double t : THRESHOLDS) {
            header.add("≥ " + f2(t));
        }
        List<List<String>> reachRows = new ArrayList<>();
        for (List<Point> points : measured) {
            List<String> row = new ArrayList<>(List.of(points.getFirst().curve().name()));
            for (double t : THRESHOLDS) {
                Double tokens = tokensToReach(points, t);
                row.add(tokens == null ? "—" : f0(tokens));
            }
            reachRows.add(row);
        }
        report.para("Tokens per task each strategy needs to reach an accuracy (its cheapest setting that does; "
                + "— : none of its settings here does).");
        report.table(header, reachRows);
        report.emit("./verigen bench curves --tasks " + count + " --seed " + seed + " --budget " + budget,
                args.flag("write"));
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
