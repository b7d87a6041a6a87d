package dev.verigen.bench.strategies;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.Strategy;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
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

    /** One pipeline to measure. */
    public record Config(String label, Supplier<Strategy> strategy, String name, int n, String rewardModel,
                         String options) {
    }

    /** What a config achieved over the suite. */
    public record Result(Config config, int tasks, int correct, int failed, long tokens, long calls) {
        double accuracy() {
            return correct / (double) tasks;
        }

        double tokensPerTask() {
            return tokens / (double) tasks;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StrategyAccuracyBench() {
    }

    public static Result measure(Config config, List<SimMathSuite.Task> tasks, long seed, Long budgetTokens,
                                 SimWorkers workers) {
        int correct = 0;
        int failed = 0;
        long tokens = 0;
        long calls = 0;
        Strategy strategy = config.strategy().get();
        for (int i = 0; i < tasks.size(); i++) {
            SimMathSuite.Task task = tasks.get(i);
            PipelineSpec spec = spec(strategy, config, seed * 1_000_003L + i);
            var outcome = new InMemoryRun(strategy, spec, new RunInput(task.prompt(), task.reference()), budgetTokens,
                    null, workers, InMemoryRun.Delivery.IN_ORDER).run();
            tokens += outcome.usedTokens();
            calls += outcome.usedCalls();
            if (!outcome.succeeded()) {
                failed++;
            } else if (task.reference().equals(SimWorkers.answer(outcome.answer().text()))) {
                correct++;
            }
        }
        return new Result(config, tasks.size(), correct, failed, tokens, calls);
    }

    /** The spec as the orchestrator would normalise it, the strategy's options included. */
    static PipelineSpec spec(Strategy strategy, Config config, long seed) {
        var base = new PipelineSpec(config.name(), config.n(), "sim-math", null, config.rewardModel(),
                new SamplingParams(0.8, 1.0, 256, seed, List.of(), false), 300);
        var fields = new JsonFields();
        var options = config.options() == null ? null : JSON.readTree(config.options());
        Object normalised = strategy.options(new StrategyOptions(options, fields, base, true, Set.of("sim-math"),
                Set.of("sim-orm", "sim-prm"), Set.of("numeric")));
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

    static List<Result> measureAll(List<Config> configs, List<SimMathSuite.Task> tasks, long seed, Long budget) {
        List<Result> results = new ArrayList<>();
        for (Config c : configs) {
            results.add(measure(c, tasks, seed, budget, new SimWorkers(seed)));
        }
        return results;
    }

    static String toJson(List<Result> results) {
        return Json.writeString(results.stream().map(StrategyAccuracyBench::json).toList());
    }
}
