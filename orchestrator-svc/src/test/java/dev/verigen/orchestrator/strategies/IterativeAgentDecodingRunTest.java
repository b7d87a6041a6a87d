package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyCompute;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** iad run to the end against the toy task model, where a refinement is a fresh solve with slightly more skill. */
class IterativeAgentDecodingRunTest {

    private static final RunInput TASK = new RunInput("task", "42");
    private final IterativeAgentDecoding iad = new IterativeAgentDecoding();

    private PipelineSpec spec(int n, String verifier, String rewardModel, long seed, String options) {
        return Fixtures.validated(iad, Fixtures.spec("iad", "toy", n, verifier, rewardModel, 64, seed), options);
    }

    private InMemoryRun.Outcome run(PipelineSpec spec, ToyWorkers workers, Long maxTokens, InMemoryRun.Delivery delivery) {
        return new InMemoryRun(iad, spec, TASK, maxTokens, null, workers, delivery).run();
    }

    private static boolean right(RunState.Candidate c) {
        return c != null && c.text().endsWith("Answer: 42");
    }

    private static List<String> rounds(InMemoryRun.Outcome outcome) {
        return outcome.steps().stream().map(RunState.Step::label).filter(l -> l.startsWith("iad/"))
                .map(l -> l.split("/")[1]).distinct().toList();
    }

    @Test
    void refiningOnRewardFeedbackImprovesOnTheBestFirstSample() {
        var workers = new ToyWorkers(4, 0.6, 0.1, 42);
        int roundZero = 0;
        int refined = 0;
        for (long seed = 0; seed < 100; seed++) {
            var outcome = run(spec(2, null, "toy-orm", seed, "{\"patience\": 4}"), workers, null,
                    InMemoryRun.Delivery.IN_ORDER);
            RunState.Candidate firstBest = outcome.candidates().stream().filter(c -> c.label().equals("iad/r0"))
                    .min(BestOfN.RANKING).orElseThrow();
            assertThat(outcome.answer().score()).isGreaterThanOrEqualTo(firstBest.score()); // the best is kept
            roundZero += right(firstBest) ? 1 : 0;
            refined += right(outcome.answer()) ? 1 : 0;
        }
        assertThat(refined).isGreaterThanOrEqualTo(2 * roundZero);
    }

    @Test
    void beatsBestOfNAtTheSameNumberOfSamples() {
        var workers = new ToyWorkers(4, 0.6, 0.1, 42);
        int bon = 0;
        int loop = 0;
        for (long seed = 0; seed < 200; seed++) {
            var best = new InMemoryRun(new BestOfN(), Fixtures.spec("best_of_n", "toy", 8, null, "toy-orm", 64, seed),
                    TASK, null, null, workers, InMemoryRun.Delivery.IN_ORDER).run();
            var outcome = run(spec(2, null, "toy-orm", seed, "{\"maxRounds\": 3, \"patience\": 3}"), workers, null,
                    InMemoryRun.Delivery.IN_ORDER);
            assertThat(outcome.candidates().stream().filter(RunState.Candidate::isAnswer).count()).isLessThanOrEqualTo(8);
            bon += right(best.answer()) ? 1 : 0;
            loop += right(outcome.answer()) ? 1 : 0;
        }
        assertThat(loop).isGreaterThan(bon);
    }

    @Test
    void stopsAtTheFirstVerifiedPass() {
        var workers = new ToyWorkers(3, 0.7, 0.1, 42);
        int passedInRoundZero = 0;
        for (long seed = 0; seed < 50; seed++) {
            var outcome = run(spec(4, "exact", "toy-orm", seed, "{}"), workers, null, InMemoryRun.Delivery.IN_ORDER);
            assertThat(outcome.succeeded()).isTrue();
            if (outcome.candidates().stream().anyMatch(c -> c.verdict() == Verdict.Outcome.PASS)) {
                assertThat(outcome.answer().verdict()).isEqualTo(Verdict.Outcome.PASS);
                assertThat(outcome.reason()).startsWith("verified");
                // nothing was asked for after the round that found it
                String last = rounds(outcome).getLast();
                assertThat(outcome.answer().label()).contains(last);
            }
            if (rounds(outcome).equals(List.of("r0"))) {
                passedInRoundZero++;
            }
        }
        assertThat(passedInRoundZero).isGreaterThan(25);
    }

    @Test
    void aPlateauStopsTheLoopBeforeMaxRounds() {
        var hopeless = new ToyWorkers(4, 0.0, 0.0, 42); // every answer wrong, every score 0.25: nothing ever improves
        var outcome = run(spec(2, null, "toy-orm", 3, "{\"maxRounds\": 10, \"patience\": 2}"), hopeless, null,
                InMemoryRun.Delivery.IN_ORDER);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.reason()).startsWith("plateau: no better answer in the last 2 rounds");
        assertThat(rounds(outcome)).containsExactly("r0", "r1", "r2");
    }

    @Test
    void aSmallBudgetEndsWithTheBestSoFarAndNeverOverspends() {
        var workers = new ToyWorkers(4, 0.0, 0.1, 42);
        for (long seed = 0; seed < 20; seed++) {
            var outcome = run(spec(2, null, "toy-orm", seed, "{\"maxRounds\": 32, \"patience\": 32, \"critique\": true}"),
                    workers, 3_000L, InMemoryRun.Delivery.IN_ORDER);
            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.reason()).startsWith("budget");
            assertThat(outcome.refusedReservations()).isZero();
            assertThat(outcome.usedTokens()).isLessThanOrEqualTo(3_000L);
            assertThat(outcome.answer()).isEqualTo(outcome.candidates().stream().filter(RunState.Candidate::isAnswer)
                    .min(BestOfN.RANKING).orElseThrow());
        }
    }

    @Test
    void underChaoticDeliveryItAlwaysEndsWithinBudgetWithACompleteAnswer() {
        var workers = new ToyWorkers(4, 0.5, 0.1, 42);
        String[] options = {"{}", "{\"critique\": true}", "{\"stopOnPass\": false, \"keep\": 3, \"refinements\": 5}",
                "{\"patience\": 1, \"maxRounds\": 8}"};
        for (long seed = 0; seed < 200; seed++) {
            boolean verifier = seed % 3 != 0;
            String scorer = seed % 3 == 1 ? null : seed % 5 == 0 ? "judge:toy" : "toy-orm";
            if (!verifier && scorer == null) {
                scorer = "toy-orm";
            }
            Long budget = seed % 4 == 0 ? null : 1_500L + 400 * (seed % 10);
            var spec = spec(1 + (int) (seed % 4), verifier ? "exact" : null, scorer, seed, options[(int) (seed % 4)]);
            // some seeds are capped in FLOPs too, from one sample's worth up
            Double maxFlops = ToyCompute.cap(seed, spec, TASK.prompt());
            var outcome = new InMemoryRun(iad, spec, TASK, budget, null, maxFlops, ToyCompute.ESTIMATOR, workers,
                    InMemoryRun.Delivery.chaotic(seed)).run();
            assertThat(outcome.status()).isIn("SUCCEEDED", "FAILED");
            assertThat(outcome.refusedReservations()).as("seed %d: %s", seed, outcome.reason()).isZero();
            if (budget != null) {
                assertThat(outcome.usedTokens()).isLessThanOrEqualTo(budget);
            }
            if (maxFlops != null) {
                assertThat(outcome.usedFlops()).as("seed %d", seed).isLessThanOrEqualTo(maxFlops);
            }
            if (outcome.succeeded()) {
                assertThat(outcome.answer().isAnswer()).isTrue();
                assertThat(outcome.answer().complete()).isTrue();
            } else {
                assertThat(outcome.errorCode()).isIn("generation_failed", "budget_exhausted");
            }
        }
    }
}
