package dev.verigen.bench.strategies;

import dev.verigen.bench.Args;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Config;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Result;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Target;
import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The {@code arith} suite on the real {@code arith-tiny.gguf} through llama.cpp: each method's real decision function
 * (the orchestrator's strategies, run in memory) against the real model, at N = 1, 2, 4, … samples, and how many
 * tokens each method needs to reach the accuracy majority voting reaches. compute_optimal is batch-level, not a method
 * at N: {@link ArithAllocation} runs it at batch budgets equal to majority vote's tokens at a few N.
 */
public final class ArithSuiteBench {

    /** A method measured at every N: its pipeline at N samples. Adding a method is adding one to {@link #methods}. */
    public record Method(String label, IntFunction<Config> at) {
    }

    /** What a method achieved at one N. */
    public record Point(int n, Result result, long completionTokens) {
        double completionPerTask() {
            return completionTokens / (double) result.tasks();
        }
    }

    /** The platform's arith-tiny pool: temperature 0.8, answers of at most 8 tokens. */
    static final Target ARITH = new Target(ArithWorkers.POOL, 0.8, 8, Set.of());
    static final String MAJORITY = "majority vote";

    private ArithSuiteBench() {
    }

    /** Fixed pipelines measured once: what one sample gets. */
    static List<Config> baselines() {
        return List.of(new Config("single sample (T=0.8)", BestOfN::new, "best_of_n", 1, null, null),
                new Config("greedy (T=0)", BestOfN::new, "best_of_n", 1, null, null, null, 0.0));
    }

    /** The methods swept over N; the first is the reference the token ratios are taken against. */
    static List<Method> methods() {
        return List.of(
                new Method(MAJORITY, n -> new Config(MAJORITY + " @" + n, SelfConsistency::new, "self_consistency", n,
                        null, null)),
                new Method("verified best-of-N", n -> new Config("verified best-of-N @" + n, BestOfN::new, "best_of_n",
                        n, null, null, "numeric", null)),
                new Method("likelihood vote", n -> new Config("likelihood vote @" + n, SelfConsistency::new,
                        "self_consistency", n, null, "{\"vote\": \"likelihood\"}")));
    }

    /** Everything one run of the benchmark measured. */
    public record Measured(List<Point> baselines, Map<String, List<Point>> byMethod, double wallS,
                           long decodedTokens, double engineS) {
    }

    /** Measures the baselines and every method at N = 1, 2, 4, … up to {@code maxN} on {@code tasks}. */
    public static Measured measure(List<Task> tasks, long seed, int maxN, ArithWorkers workers) {
        long started = System.nanoTime();
        List<Point> baselines = new ArrayList<>();
        for (Config config : baselines()) {
            baselines.add(point(config, 1, tasks, seed, workers));
        }
        Map<String, List<Point>> byMethod = new LinkedHashMap<>();
        for (Method method : methods()) {
            List<Point> points = new ArrayList<>();
            for (int n = 1; n <= maxN; n *= 2) {
                points.add(point(method.at().apply(n), n, tasks, seed, workers));
            }
            byMethod.put(method.label(), points);
        }
        return new Measured(baselines, byMethod, (System.nanoTime() - started) / 1e9, workers.decodedTokens(),
                workers.engineSeconds());
    }

    private static Point point(Config config, int n, List<Task> tasks, long seed, ArithWorkers workers) {
        long completion = workers.billedCompletionTokens();
        long t0 = System.nanoTime();
        Result r = StrategyAccuracyBench.measure(config, tasks, seed, null, workers, ARITH);
        System.err.printf(Locale.ROOT, "%s: %.3f, %.1f tokens/question (%d ms)%n", config.label(), r.accuracy(),
                r.tokensPerTask(), (System.nanoTime() - t0) / 1_000_000);
        return new Point(n, r, workers.billedCompletionTokens() - completion);
    }

    /** The batch budgets compute_optimal gets: majority vote's measured tokens for the batch at each of {@code ns}. */
    static Map<Integer, Long> budgets(Measured m, List<Integer> ns) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (Point p : m.byMethod().get(MAJORITY)) {
            if (ns.contains(p.n())) {
                out.put(p.n(), p.result().tokens());
            }
        }
        return out;
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "questions", "seed", "max-n", "threads", "model", "train-questions", "train-seed",
                "orders", "budgets");
        int questions = Integer.parseInt(args.get("questions", Integer.toString(BuiltInSuites.ARITH_SIZE)));
        long seed = Long.parseLong(args.get("seed", "1"));
        int maxN = Integer.parseInt(args.get("max-n", "64"));
        // one thread: two spin-waiting threads collapse when another job shares the 2 cores (same samples either way)
        int threads = Integer.parseInt(args.get("threads", "1"));
        Path model = Path.of(args.get("model", "models/arith-tiny.gguf"));
        int trainQuestions = Integer.parseInt(args.get("train-questions", "600"));
        long trainSeed = Long.parseLong(args.get("train-seed", "2"));
        int orders = Integer.parseInt(args.get("orders", "16"));
        List<Integer> budgetNs = Arrays.stream(args.get("budgets", "8,16,32,64").split(",")).map(String::strip)
                .map(Integer::parseInt).toList();
        List<Task> tasks = Task.of(BuiltInSuites.arith(questions, 1));
        List<Task> train = ArithAllocation.trainingSplit(tasks, trainQuestions, trainSeed);
        Measured m;
        ArithAllocation.Measured allocated;
        try (ArithWorkers workers = new ArithWorkers(model, threads)) {
            m = measure(tasks, seed, maxN, workers);
            allocated = ArithAllocation.measure(tasks, new ArithAllocation.Training(trainQuestions, trainSeed,
                    train.size(), orders), train, seed, maxN, budgets(m, budgetNs), workers);
            m = new Measured(m.baselines(), m.byMethod(), m.wallS() + allocated.wallS(), workers.decodedTokens(),
                    workers.engineSeconds());
        }
        ArithReport.write(m, allocated, questions, seed, maxN, threads, model, args.flag("write"));
    }
}
