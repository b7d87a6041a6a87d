package dev.verigen.bench.strategies;

import dev.verigen.orchestrator.allocation.ComputeOptimal;
import dev.verigen.orchestrator.allocation.CurveBook;
import dev.verigen.orchestrator.allocation.Decision;
import dev.verigen.orchestrator.allocation.Features;
import dev.verigen.orchestrator.allocation.ItemRun;
import dev.verigen.orchestrator.allocation.Options;
import dev.verigen.orchestrator.allocation.PooledVote;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compute-optimal allocation against uniform best-of-N on sim-math, in one run with fixed seeds. Phase 1 learns the
 * curve book on a disjoint training split ({@link AllocationTraining}); phase 2 runs, on the evaluation suite,
 * uniform best-of-64 (ORM-selected, exactly the strategies section's row) and then compute_optimal at fractions of
 * best-of-64's measured tokens ({@link AllocationBatch}).
 */
public final class ComputeOptimalBench {

    private ComputeOptimalBench() {
    }

    /** One evaluated configuration, with per-item correctness for the per-bin breakdown. */
    record Row(String label, double accuracy, double tokensPerTask, Map<String, Boolean> correct,
               Map<String, Long> tokens, String note) {
    }

    static Map<String, Object> settings(long promptTokens, long seed) {
        Map<String, Object> m = new HashMap<>();
        m.put("model", "sim-math");
        m.put("rewardModel", "sim-orm");
        m.put("pilotSamples", 4);
        m.put("maxSamples", 64);
        m.put("bins", 5);
        m.put("sampleMaxTokens", 128);
        m.put("promptTokens", promptTokens);
        m.put("seed", seed);
        m.put("strategies", List.of(
                Map.of("name", "vote", "strategy", "best_of_n"),
                Map.of("name", "pf4", "strategy", "particle_filter", "n", 4, "maxTokens", 20_000,
                        "options", Map.of("prm", "sim-prm:last")),
                Map.of("name", "pf8", "strategy", "particle_filter", "n", 8, "maxTokens", 40_000,
                        "options", Map.of("prm", "sim-prm:last")),
                Map.of("name", "dvts16", "strategy", "dvts", "n", 16, "maxTokens", 40_000,
                        "options", Map.of("beamWidth", 4, "expansions", 4, "prm", "sim-prm:last"))));
        return m;
    }

    public static void main(String[] argv) throws Exception {
        var args = new dev.verigen.bench.Args(argv, "tasks", "seed", "train-tasks", "train-seed", "orders");
        int count = Integer.parseInt(args.get("tasks", "200"));
        long seed = Long.parseLong(args.get("seed", "7"));
        int trainCount = Integer.parseInt(args.get("train-tasks", "400"));
        long trainSeed = Long.parseLong(args.get("train-seed", "1001"));
        int orders = Integer.parseInt(args.get("orders", "16"));
        List<Task> tasks = SimMathSuite.tasks(count, seed);
        List<Task> train = SimMathSuite.tasks(trainCount, trainSeed);
        long promptBound = 0;
        for (Task t : tasks) {
            promptBound = Math.max(promptBound, Costs.promptTokensBound(t.prompt()));
        }
        for (Task t : train) {
            promptBound = Math.max(promptBound, Costs.promptTokensBound(t.prompt()));
        }
        Options options = Options.read(settings(promptBound, seed));

        long started = System.nanoTime();
        var learned = AllocationTraining.learn(options, "sim-math", train, trainSeed, orders,
                new AllocationRuns(new SimWorkers(trainSeed), SampleScore.REWARD));
        CurveBook book = learned.book();
        System.err.printf(Locale.ROOT, "training: %d items, %d observations, exponent %.0f (%s), %d ms%n",
                learned.items(), learned.observations(), book.voteExponent(), learned.exponentScores(),
                (System.nanoTime() - started) / 1_000_000);

        Row bon64 = uniform("best_of_n n=64 (sim-orm), uniform", 64, null, tasks, seed, 0);
        Row bon16w = uniform("best_of_n n=16 weighted (sim-orm), uniform", 16, "{\"selection\": \"weighted\"}", tasks,
                seed, 0);
        // compute_optimal's own answer rule at a uniform allocation: what the allocation adds beyond the rule
        String rule = String.format(Locale.ROOT, "(sim-orm), uniform, compute_optimal's answer rule (score^%.0f vote)",
                book.voteExponent());
        Row pooled8 = uniform("best_of_n n=8 " + rule, 8, null, tasks, seed, book.voteExponent());
        Row pooled16 = uniform("best_of_n n=16 " + rule, 16, null, tasks, seed, book.voteExponent());
        double reference = bon64.tokensPerTask() * count;
        List<Row> rows = new ArrayList<>(List.of(bon64, bon16w, pooled8, pooled16));
        Map<String, Integer> bins = null;
        AllocationBatch.Outcome quarter = null;
        long cutSamples = 0;
        for (double fraction : new double[]{1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2}) {
            long budget = (long) Math.floor(reference * fraction);
            var outcome = AllocationBatch.run(new ComputeOptimal(options, book), tasks, budget,
                    new AllocationRuns(new SimWorkers(seed), SampleScore.REWARD));
            Row row = allocated(String.format(Locale.ROOT, "compute_optimal, budget %s of best-of-64's tokens",
                    fractionLabel(fraction)), outcome, tasks);
            rows.add(row);
            Map<String, Integer> reasons = new java.util.TreeMap<>();
            outcome.decisions().values().forEach(d -> reasons.merge(d.reason().name(), 1, Integer::sum));
            long cut = outcome.runs().stream().flatMap(r -> r.samples().stream()).filter(s -> !s.complete()).count();
            cutSamples += cut;
            System.err.printf(Locale.ROOT, "%s: %.3f at %.0f tokens/task (%.3f of bon64), %d rounds, %s, %s, "
                            + "%d samples cut at max tokens%n", row.label(), row.accuracy(), row.tokensPerTask(),
                    row.tokensPerTask() / bon64.tokensPerTask(), outcome.rounds(), outcome.purchasesByArm(), reasons,
                    cut);
            if (fraction == 0.25) {
                quarter = outcome;
                bins = pilotBins(outcome, options, book);
            }
        }
        AllocationReport.write(args, new AllocationReport.Setup(count, seed, trainCount, trainSeed, orders, options,
                learned, cutSamples), rows, bon64, quarter, bins);
    }

    /** A uniform best_of_n row; with {@code exponent} > 0 answered by the allocator's pooled vote over its samples. */
    static Row uniform(String label, int n, String opts, List<Task> tasks, long seed, double exponent) {
        var config = new StrategyAccuracyBench.Config(label, BestOfN::new, "best_of_n", n, "sim-orm", opts);
        Map<String, Boolean> correct = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        var strategy = new BestOfN();
        var workers = new SimWorkers(seed);
        var runs = new AllocationRuns(workers, SampleScore.REWARD);
        long total = 0;
        int right = 0;
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            var spec = StrategyAccuracyBench.spec(strategy, config, StrategyAccuracyBench.Target.SIM_MATH, seed * 1_000_003L + i);
            var o = new InMemoryRun(strategy, spec, new RunInput(t.prompt(), t.reference()), 40_000L, null, workers,
                    InMemoryRun.Delivery.TIMED).run();
            boolean ok = exponent > 0
                    ? t.reference().equals(PooledVote.of(o.candidates().stream().map(runs::sample).toList(),
                            exponent).answer())
                    : o.succeeded() && t.reference().equals(SimWorkers.answer(o.answer().text()));
            correct.put(t.id(), ok);
            tokens.put(t.id(), o.usedTokens());
            total += o.usedTokens();
            right += ok ? 1 : 0;
        }
        return new Row(label, right / (double) tasks.size(), total / (double) tasks.size(), correct, tokens, "");
    }

    static Row allocated(String label, AllocationBatch.Outcome outcome, List<Task> tasks) {
        Map<String, Boolean> correct = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        int right = 0;
        for (Task t : tasks) {
            Decision d = outcome.decisions().get(t.id());
            boolean ok = d != null && t.reference().equals(d.answer());
            correct.put(t.id(), ok);
            tokens.put(t.id(), d == null ? 0 : d.tokens());
            right += ok ? 1 : 0;
        }
        return new Row(label, right / (double) tasks.size(), outcome.tokens() / (double) tasks.size(), correct, tokens,
                outcome.purchasesByArm().toString());
    }

    /** Each item's difficulty bin as its pilot estimated it (the bin Snell et al. would allocate by). */
    static Map<String, Integer> pilotBins(AllocationBatch.Outcome outcome, Options options, CurveBook book) {
        Map<String, Integer> bins = new HashMap<>();
        for (ItemRun r : outcome.runs()) {
            if (r.tag().equals("r0")) {
                Features f = Features.of(r.samples(), book.voteExponent());
                bins.put(r.itemId(), book.stageFor(options.pilotSamples()).bin(f));
            }
        }
        return bins;
    }

    static String fractionLabel(double f) {
        return f >= 0.5 ? "1/2" : "1/" + Math.round(1 / f);
    }
}
