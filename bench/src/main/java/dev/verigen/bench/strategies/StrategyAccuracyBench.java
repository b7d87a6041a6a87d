package dev.verigen.bench.strategies;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.IterativeAgentDecoding;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.FirstFinish;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.Strategy;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.Workers;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accuracy against tokens of every strategy on the simulator task suite, with the same tasks, seeds and per-task
 * token budget for all: each strategy's real decision function (the orchestrator's code) runs in memory against the
 * simulator's real engine and reward models (gpu-worker's {@code sim}, reward-model-svc's {@code sim-orm} and
 * {@code sim-prm}). Selection never sees the reference: no verifier is configured, and only the simulated reward
 * models read it, as their latent notion of correctness. A run is correct when its answer equals the reference.
 */
public final class StrategyAccuracyBench {

    /**
     * One pipeline to measure.
     *
     * @param verifier    the pipeline's verifier ({@code numeric}); null for none, so selection never sees the reference
     * @param temperature the pipeline's temperature; null for the target's
     */
    public record Config(String label, Supplier<Strategy> strategy, String name, int n, String rewardModel,
                         String options, String verifier, Double temperature) {
        public Config(String label, Supplier<Strategy> strategy, String name, int n, String rewardModel,
                      String options) {
            this(label, strategy, name, n, rewardModel, options, null, null);
        }
    }

    /**
     * Where configs run: the model pool, its sampling defaults, and the scorers its workers offer (options naming
     * others are refused, as the API would).
     */
    public record Target(String pool, double temperature, int maxTokens, Set<String> scorers) {
        public static final Target SIM_MATH = new Target("sim-math", 0.8, 256, Set.of("sim-orm", "sim-prm", "judge"));
    }

    /**
     * What a config achieved over the suite.
     *
     * @param aborted     generation jobs stopped mid-way (engine-side abort), over all tasks
     * @param tokensSaved completion tokens the abort saved, over all tasks
     * @param scored      candidates scored (reward-model and PRM passes), over all tasks
     */
    public record Result(Config config, int tasks, int correct, int failed, long tokens, long calls, long engineMs,
                         long aborted, long tokensSaved, long scored) {

        public Result(Config config, int tasks, int correct, int failed, long tokens, long calls, long engineMs) {
            this(config, tasks, correct, failed, tokens, calls, engineMs, 0, 0, 0);
        }
        public double accuracy() {
            return correct / (double) tasks;
        }

        public double tokensPerTask() {
            return tokens / (double) tasks;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StrategyAccuracyBench() {
    }

    public static Result measure(Config config, List<Task> tasks, long seed, Long budgetTokens,
                                 SimWorkers workers) {
        return measure(config, tasks, seed, budgetTokens, workers, Target.SIM_MATH);
    }

    /**
     * Runs the config on every task with the run seed {@code seed * 1_000_003 + i} for task i. A run is correct when
     * the workers' check of its answer against the reference passes (the check is the grader, never the selection:
     * only a config with a verifier lets the strategy see verdicts).
     */
    public static Result measure(Config config, List<Task> tasks, long seed, Long budgetTokens,
                                 Workers workers, Target target) {
        return measure(config, tasks, seed, budgetTokens, workers, target, InMemoryRun.Delivery.TIMED);
    }

    /** As {@link #measure(Config, List, long, Long, Workers, Target)}, with the results delivered as given. */
    public static Result measure(Config config, List<Task> tasks, long seed, Long budgetTokens, Workers workers,
                                 Target target, InMemoryRun.Delivery delivery) {
        long aborted = 0;
        long saved = 0;
        long scored = 0;
        int correct = 0;
        int failed = 0;
        long tokens = 0;
        long calls = 0;
        long engineMs = 0;
        Strategy strategy = config.strategy().get();
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            PipelineSpec spec = spec(strategy, config, target, seed * 1_000_003L + i);
            var outcome = new InMemoryRun(strategy, spec, new RunInput(task.prompt(), task.reference()), budgetTokens,
                    null, workers, delivery).run();
            engineMs += outcome.engineMs();
            aborted += outcome.aborted();
            saved += outcome.tokensSaved();
            scored += outcome.scored();
            tokens += outcome.usedTokens();
            calls += outcome.usedCalls();
            if (!outcome.succeeded()) {
                failed++;
            } else if (correct(workers, task, outcome.answer().text())) {
                correct++;
            }
        }
        return new Result(config, tasks.size(), correct, failed, tokens, calls, engineMs, aborted, saved, scored);
    }

    /** The grade of an answer: always the reference's (a pipeline's own verifier may be imperfect, the grader not). */
    static boolean correct(Workers workers, Task task, String text) {
        if (workers instanceof SimWorkers sim) {
            return sim.grade(task.reference(), text);
        }
        return workers.verify(task.prompt(), task.reference(), text).outcome() == Verdict.Outcome.PASS;
    }

    /** The spec as the orchestrator would normalise it, the strategy's options included. */
    static PipelineSpec spec(Strategy strategy, Config config, Target target, long seed) {
        double temperature = config.temperature() == null ? target.temperature() : config.temperature();
        var base = new PipelineSpec(config.name(), config.n(), target.pool(),
                config.verifier() == null ? null : VerifierSpec.of(config.verifier()), config.rewardModel(),
                new SamplingParams(temperature, 1.0, target.maxTokens(), seed, List.of(), false), 300);
        var fields = new JsonFields();
        var options = config.options() == null ? null : JSON.readTree(config.options());
        Object normalised = strategy.options(new StrategyOptions(options, fields, base, true, Set.of(target.pool()),
                target.scorers(), Set.of("numeric")));
        if (!fields.errors().isEmpty()) {
            throw new IllegalArgumentException(config.label() + ": " + fields.errors());
        }
        return base.withOptions(normalised);
    }

    static String row(Result r) {
        return String.format(Locale.ROOT, "| %s | %.3f | %,.0f | %d |", r.config().label(), r.accuracy(),
                r.tokensPerTask(), r.failed());
    }

    static Map<String, Object> json(Result r) {
        return Map.of("config", r.config().label(), "accuracy", r.accuracy(), "tokensPerTask", r.tokensPerTask());
    }

    static List<Result> measureAll(List<Config> configs, List<Task> tasks, long seed, Long budget) {
        List<Result> results = new ArrayList<>();
        for (Config c : configs) {
            results.add(measure(c, tasks, seed, budget, new SimWorkers(seed)));
        }
        return results;
    }

    static String toJson(List<Result> results) {
        return Json.writeString(results.stream().map(StrategyAccuracyBench::json).toList());
    }

    /** Every strategy, at a few sizes, as a README reader would configure it. */
    static List<Config> configs() {
        List<Config> c = new ArrayList<>();
        c.add(new Config("single sample", BestOfN::new, "best_of_n", 1, null, null));
        for (int n : new int[]{4, 16, 64}) {
            c.add(new Config("best_of_n n=" + n + " (sim-orm)", BestOfN::new, "best_of_n", n, "sim-orm", null));
        }
        c.add(new Config("best_of_n n=16 weighted (sim-orm)", BestOfN::new, "best_of_n", 16, "sim-orm",
                "{\"selection\": \"weighted\"}"));
        for (int n : new int[]{4, 16, 64}) {
            c.add(new Config("self_consistency n=" + n + " majority", SelfConsistency::new, "self_consistency", n, null,
                    null));
        }
        c.add(new Config("self_consistency n=16 weighted (sim-orm)", SelfConsistency::new, "self_consistency", 16,
                "sim-orm", "{\"vote\": \"weighted\"}"));
        c.add(new Config("self_consistency n≤64 adaptive", SelfConsistency::new, "self_consistency", 64, null,
                "{\"adaptive\": {\"batch\": 4, \"confidence\": 0.95}}"));
        c.add(new Config("self_consistency n=16 temperatures 0.4/0.8/1.2", SelfConsistency::new, "self_consistency",
                16, null, "{\"temperatures\": [0.4, 0.8, 1.2]}"));
        c.add(new Config("first_finish n=8", FirstFinish::new, "first_finish", 8, null, null));
        c.add(new Config("best_of_n n=16, pruned at 32 tokens to 1/4 (sim-orm)", BestOfN::new, "best_of_n", 16,
                "sim-orm", "{\"prune\": {\"at\": 32, \"keep\": 0.25}}"));
        c.add(new Config("best_of_n n=16, pruned at 32 tokens to 1/4 (sim-prm:last)", BestOfN::new, "best_of_n", 16,
                "sim-orm", "{\"prune\": {\"at\": 32, \"keep\": 0.25, \"scorer\": \"sim-prm:last\"}}"));
        c.add(new Config("self_consistency n≤16 adaptive, abort", SelfConsistency::new, "self_consistency", 16, null,
                "{\"adaptive\": {\"confidence\": 0.95, \"abort\": true}}"));
        c.add(new Config("beam_search 2x2 (sim-prm:last)", BeamSearch::new, "beam_search", 4, null,
                "{\"beamWidth\": 2, \"expansions\": 2, \"prm\": \"sim-prm:last\"}"));
        c.add(new Config("beam_search 4x4 (sim-prm:last)", BeamSearch::new, "beam_search", 16, null,
                "{\"beamWidth\": 4, \"expansions\": 4, \"prm\": \"sim-prm:last\"}"));
        c.add(new Config("beam_search 4x4 lookahead 1 (sim-prm:last)", BeamSearch::new, "beam_search", 16, null,
                "{\"beamWidth\": 4, \"expansions\": 4, \"lookahead\": 1, \"prm\": \"sim-prm:last\"}"));
        c.add(new Config("dvts 4x4 (sim-prm:last)", Dvts::new, "dvts", 16, null,
                "{\"beamWidth\": 4, \"expansions\": 4, \"prm\": \"sim-prm:last\"}"));
        c.add(new Config("iad n=4, 4 rounds (sim-orm)", IterativeAgentDecoding::new, "iad", 4, "sim-orm",
                "{\"maxRounds\": 4, \"keep\": 2}"));
        c.add(new Config("iad n=4, 4 rounds + critique (sim-orm)", IterativeAgentDecoding::new, "iad", 4, "sim-orm",
                "{\"maxRounds\": 4, \"keep\": 2, \"critique\": true}"));
        c.add(new Config("archon gen 8 → model verifier → ranker 3 → fuser (sim-orm)", Archon::new, "archon", 8,
                "sim-orm", "{\"layers\": [[{\"type\": \"generator\", \"samples\": 8}], [{\"type\": \"verifier\"}],"
                        + " [{\"type\": \"ranker\", \"topK\": 3}], [{\"type\": \"fuser\", \"samples\": 2}]]}"));
        for (int n : new int[]{4, 16}) {
            c.add(new Config("particle_filter n=" + n + " (sim-prm:last)", ParticleFilter::new, "particle_filter", n,
                    null, "{\"prm\": \"sim-prm:last\"}"));
        }
        for (int k : new int[]{2, 4}) {
            c.add(new Config("a_star k=" + k + " (sim-prm:last)", dev.verigen.orchestrator.strategies.AStar::new,
                    "a_star", 1, null, "{\"expansions\": " + k + ", \"prm\": \"sim-prm:last\"}"));
        }
        return c;
    }

    public static void main(String[] argv) throws Exception {
        var args = new dev.verigen.bench.Args(argv, "tasks", "seed", "budget");
        int count = Integer.parseInt(args.get("tasks", "200"));
        long seed = Long.parseLong(args.get("seed", "7"));
        long budget = Long.parseLong(args.get("budget", "40000"));
        List<Task> tasks = SimMathSuite.tasks(count, seed);
        List<List<String>> rows = new ArrayList<>();
        for (Config config : configs()) {
            long started = System.nanoTime();
            Result r = measure(config, tasks, seed, budget, new SimWorkers(seed));
            rows.add(List.of(config.label(), String.format(Locale.ROOT, "%.3f", r.accuracy()),
                    String.format(Locale.ROOT, "%,.0f", r.tokensPerTask()),
                    String.format(Locale.ROOT, "%.1f", r.calls() / (double) r.tasks()),
                    String.format(Locale.ROOT, "%,.0f", r.engineMs() / (double) r.tasks()), Integer.toString(r.failed())));
            System.err.printf(Locale.ROOT, "%s: %.3f, %.0f tokens/task (%d ms)%n", config.label(), r.accuracy(),
                    r.tokensPerTask(), (System.nanoTime() - started) / 1_000_000);
        }
        new dev.verigen.bench.Report("strategies", "Strategies: accuracy against tokens on the simulator task suite")
                .para(count + " sim-math tasks (2 to 6 integer operations; the simulator's latent solve rates make them "
                        + "heterogeneous), seed " + seed + ", per-task budget " + budget + " tokens, the same for every "
                        + "row. Each strategy's own decision function runs in memory against the simulator's engine "
                        + "and reward models (SIMULATED: `sim`, `sim-orm`, `sim-prm`; " + SimWorkers.World.STRICT
                        .describe() + "); selection never sees the "
                        + "reference (no verifier); a run counts as correct when its answer equals the reference. "
                        + "Tokens are prompt + completion tokens of every generation, as the budget counts them.")
                .table(List.of("pipeline", "accuracy", "tokens / task", "model calls / task", "simulated latency / task (ms)",
                        "failed runs"), rows)
                .para("Reading it: model calls count reward-model items as well as samples. Step-wise search "
                        + "(beam_search, dvts, particle_filter) re-reads the partial solution as prompt at every step, "
                        + "and those prompt tokens count against the budget as an engine would bill them; a prefix "
                        + "cache makes them cheaper in time but not in this count. first_finish, adaptive sampling with "
                        + "abort and pruning stop the samples they no longer need at the workers (engine-side abort): "
                        + "those are billed only the tokens decoded until then (the literature-abort section measures "
                        + "the saving). The simulated latency is the discrete-event time from "
                        + "the first dispatch to the answer, with each job taking the simulator's engine time and "
                        + "jobs of one round running concurrently; orchestration overhead is not included (see the "
                        + "platform throughput section for that). The simulator's fuser and refiner re-solve the "
                        + "quoted task (they do not learn from the candidates they are shown), which is why archon's "
                        + "fused answer adds little over one sample here, while its value with real models is "
                        + "exactly that learning.")
                .emit("./verigen bench strategies --tasks " + count + " --seed " + seed + " --budget " + budget,
                        args.flag("write"));
    }
}
