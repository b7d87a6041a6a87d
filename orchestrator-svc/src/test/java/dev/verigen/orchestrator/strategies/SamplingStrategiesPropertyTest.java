package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyCompute;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Under chaotic delivery (shuffled results, failures, timeouts) and budgets from roomy to barely one sample (in tokens,
 * and for some seeds calls or FLOPs too), every sampling configuration always ends, never asks for what the budget
 * cannot pay, never overspends, and answers with a complete answer candidate.
 */
class SamplingStrategiesPropertyTest {

    private static final int SEEDS = 200;

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("best_of_n", (Supplier<Strategy>) BestOfN::new, "toy-orm",
                        new BestOfN.Options(null, null)),
                Arguments.of("best_of_n weighted adaptive", (Supplier<Strategy>) BestOfN::new, "toy-orm",
                        new BestOfN.Options("weighted", new Adaptive(3, 0.9))),
                Arguments.of("best_of_n weighted adaptive abort temperatures", (Supplier<Strategy>) BestOfN::new,
                        "toy-orm", new BestOfN.Options("weighted", new Adaptive(1, 0.9, true), List.of(0.5, 1.0),
                                null)),
                Arguments.of("best_of_n pruned", (Supplier<Strategy>) BestOfN::new, "toy-orm",
                        new BestOfN.Options(null, null, List.of(),
                                new dev.verigen.orchestrator.strategies.sampling.Prune.Settings(2, 0.4, "toy-orm"))),
                Arguments.of("best_of_n pruned past every sample's end", (Supplier<Strategy>) BestOfN::new, "toy-orm",
                        new BestOfN.Options(null, null, List.of(),
                                new dev.verigen.orchestrator.strategies.sampling.Prune.Settings(4096, 0.25, "toy-orm"))),
                Arguments.of("self_consistency", (Supplier<Strategy>) SelfConsistency::new, null,
                        new SelfConsistency.Options(null, null, null)),
                Arguments.of("self_consistency weighted adaptive temperatures",
                        (Supplier<Strategy>) SelfConsistency::new, "toy-orm",
                        new SelfConsistency.Options("weighted", List.of(0.3, 0.7, 1.0), new Adaptive(4, 0.95))),
                Arguments.of("self_consistency adaptive judge", (Supplier<Strategy>) SelfConsistency::new,
                        "judge:toy", new SelfConsistency.Options(null, null, new Adaptive(2, 0.95))),
                Arguments.of("self_consistency adaptive abort", (Supplier<Strategy>) SelfConsistency::new, null,
                        new SelfConsistency.Options(null, null, new Adaptive(1, 0.9, true))),
                Arguments.of("first_finish", (Supplier<Strategy>) FirstFinish::new, null,
                        new FirstFinish.Options(false, true)),
                Arguments.of("first_finish verified", (Supplier<Strategy>) FirstFinish::new, null,
                        new FirstFinish.Options(true, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void alwaysEndsWithinBudgetAndAnswersWithACompleteCandidate(String name, Supplier<Strategy> strategy, String rm,
                                                                 Object options) {
        String strategyName = name.split(" ")[0];
        var workers = new ToyWorkers(4, 0.8, 0.2, 42);
        long prompt = Costs.promptTokensBound("task");
        int succeeded = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            // from barely one sample (a single prompt bound + 64) to plenty, sometimes with a call cap too
            long maxTokens = prompt + 64 + (seed * 97) % 3_000;
            Long maxCalls = seed % 3 == 0 ? 2 + seed % 17 : null;
            var spec = new PipelineSpec(strategyName, 8, "toy", VerifierSpec.of("exact"), rm,
                    new SamplingParams(0.8, 1.0, 64, seed, List.of(), false), 60).withOptions(options);
            Double maxFlops = ToyCompute.cap(seed, spec, "task");
            var outcome = new InMemoryRun(strategy.get(), spec, new RunInput("task", "42"), maxTokens, maxCalls,
                    maxFlops, ToyCompute.ESTIMATOR, workers, InMemoryRun.Delivery.chaotic(seed)).run();
            assertThat(outcome.status()).as("seed %d", seed).isIn("SUCCEEDED", "FAILED");
            assertThat(outcome.refusedReservations()).as("seed %d: %s", seed, outcome.reason()).isZero();
            assertThat(outcome.usedTokens()).isLessThanOrEqualTo(maxTokens);
            if (maxCalls != null) {
                assertThat(outcome.usedCalls()).isLessThanOrEqualTo(maxCalls);
            }
            if (maxFlops != null) {
                assertThat(outcome.usedFlops()).as("seed %d", seed).isLessThanOrEqualTo(maxFlops);
            }
            if (outcome.succeeded()) {
                succeeded++;
                assertThat(outcome.answer().isAnswer()).isTrue();
                assertThat(outcome.answer().isSnapshot()).isFalse();
                assertThat(outcome.answer().complete()).isTrue();
                assertThat(outcome.answer().text()).contains("Answer:");
                assertThat(outcome.reason()).isNotBlank();
            } else {
                assertThat(outcome.errorCode()).as("seed %d", seed).isIn("generation_failed", "budget_exhausted");
            }
        }
        assertThat(succeeded).isGreaterThan(SEEDS * 3 / 4);
    }
}
