package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyCompute;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Under shuffled, failing and timed-out results and budgets from roomy to starved (tokens, calls and, for some seeds,
 * FLOPs), step-wise search always ends,
 * never asks for what the budget cannot pay, never overspends, and answers only with complete solutions.
 */
class StepwiseSearchPropertiesTest {

    private static final RunInput INPUT = new RunInput("task", "42");
    private static final Long[] TOKEN_BUDGETS = {null, 6_000L, 2_500L, 1_200L, 700L};
    private static final Long[] CALL_BUDGETS = {null, null, null, 40L, 12L};

    private static void check(Strategy strategy, PipelineSpec base, long seed) {
        var spec = new PipelineSpec(base.strategy(), base.n(), "toy", seed % 2 == 0 ? VerifierSpec.of("exact") : null,
                seed % 3 == 0 ? "sim-orm" : null, base.sampling(), 60, base.options());
        Long maxTokens = TOKEN_BUDGETS[(int) (seed % TOKEN_BUDGETS.length)];
        Long maxCalls = CALL_BUDGETS[(int) (seed / 5 % CALL_BUDGETS.length)];
        Double maxFlops = ToyCompute.cap(seed, spec, INPUT.prompt());
        var outcome = new InMemoryRun(strategy, spec, INPUT, maxTokens, maxCalls, maxFlops, ToyCompute.ESTIMATOR,
                new ToyWorkers(6, 0.8, 0.2, 42), InMemoryRun.Delivery.chaotic(seed)).run();
        String what = strategy.name() + " seed " + seed + " budget " + maxTokens + "/" + maxCalls + "/" + maxFlops
                + ": " + outcome.errorCode() + " " + outcome.reason();
        assertThat(outcome.refusedReservations()).as(what).isZero();
        assertThat(outcome.status()).as(what).isIn("SUCCEEDED", "FAILED");
        if (maxTokens != null) {
            assertThat(outcome.usedTokens()).as(what).isLessThanOrEqualTo(maxTokens);
        }
        if (maxCalls != null) {
            assertThat(outcome.usedCalls()).as(what).isLessThanOrEqualTo(maxCalls);
        }
        if (maxFlops != null) {
            assertThat(outcome.usedFlops()).as(what).isLessThanOrEqualTo(maxFlops);
        }
        if (outcome.succeeded()) {
            assertThat(outcome.answer().complete()).as(what).isTrue();
            assertThat(outcome.answer().isAnswer()).as(what).isTrue();
        } else {
            assertThat(outcome.errorCode()).as(what).isIn("budget_exhausted", "generation_failed");
        }
    }

    @Test
    void beamSearchAlwaysEndsWithinBudget() {
        for (long seed = 0; seed < 200; seed++) {
            check(new BeamSearch(), StepwiseSearchHarnessTest.beam(seed, 3, 3, 0, false), seed);
        }
    }

    @Test
    void dvtsWithLookAheadAlwaysEndsWithinBudget() {
        for (long seed = 0; seed < 200; seed++) {
            check(new Dvts(), StepwiseSearchHarnessTest.beam(seed, 3, 2, 2, true), seed);
        }
    }

    @Test
    void particleFilteringAlwaysEndsWithinBudget() {
        for (long seed = 0; seed < 200; seed++) {
            check(new ParticleFilter(), StepwiseSearchHarnessTest.particles(seed, 8, true), seed);
        }
    }

    @Test
    void entropicParticleFilteringWithLookAheadAlwaysEndsWithinBudget() {
        for (long seed = 0; seed < 200; seed++) {
            check(new ParticleFilter(), StepwiseSearchHarnessTest.entropic(seed, 6), seed);
        }
    }

    @Test
    void aStarAlwaysEndsWithinBudget() {
        for (long seed = 0; seed < 200; seed++) {
            check(new AStar(), StepwiseSearchHarnessTest.aStar(seed, 3, seed % 3 == 0 ? 3 : 1, 1 + (int) (seed % 2)),
                    seed);
        }
    }

    @Test
    void mostRunsWithARoomyBudgetSucceedDespiteFailures() {
        int succeeded = 0;
        for (long seed = 0; seed < 100; seed++) {
            for (Strategy s : List.of(new BeamSearch(), new ParticleFilter())) {
                PipelineSpec spec = s instanceof ParticleFilter ? StepwiseSearchHarnessTest.particles(seed, 8, true)
                        : StepwiseSearchHarnessTest.beam(seed, 3, 3, 0, false);
                succeeded += new InMemoryRun(s, spec, INPUT, null, null, new ToyWorkers(6, 0.8, 0.2, 42),
                        InMemoryRun.Delivery.chaotic(seed)).run().succeeded() ? 1 : 0;
            }
        }
        assertThat(succeeded).isGreaterThanOrEqualTo(180);
    }
}
