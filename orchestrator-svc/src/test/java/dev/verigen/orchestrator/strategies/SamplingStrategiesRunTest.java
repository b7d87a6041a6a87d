package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sampling strategies run end to end in memory against ToyWorkers (a seeded task: every step right with some
 * probability, the reference only when all are; wrong answers collide on a few values; the ORM rates slips low),
 * showing that each does what it is for. Fixed seeds: the counts are reproducible.
 */
class SamplingStrategiesRunTest {

    private static final RunInput TASK = new RunInput("task", "42");
    private static final int SEEDS = 40;

    private static PipelineSpec spec(String strategy, int n, VerifierSpec verifier, String rm, long seed, Object options) {
        return new PipelineSpec(strategy, n, "toy", verifier, rm, new SamplingParams(0.8, 1.0, 64, seed, List.of(), false),
                60).withOptions(options);
    }

    private static InMemoryRun.Outcome run(Strategy strategy, PipelineSpec spec, ToyWorkers workers) {
        return run(strategy, spec, workers, InMemoryRun.Delivery.IN_ORDER);
    }

    private static InMemoryRun.Outcome run(Strategy strategy, PipelineSpec spec, ToyWorkers workers,
                                           InMemoryRun.Delivery delivery) {
        var outcome = new InMemoryRun(strategy, spec, TASK, null, null, workers, delivery).run();
        assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
        return outcome;
    }

    private static boolean right(InMemoryRun.Outcome outcome) {
        return outcome.answer().text().endsWith("Answer: 42");
    }

    private static SelfConsistency.Options sc(String vote, Adaptive adaptive) {
        return new SelfConsistency.Options(vote, null, adaptive);
    }

    @Test
    void majorityVoteBeatsASingleSampleWhenTheRightAnswerIsThePlurality() {
        var workers = new ToyWorkers(4, 0.8, 0.1, 42); // right ≈ 41%, each of three wrong answers ≈ 20%
        int single = 0;
        int voted = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            single += right(run(new SelfConsistency(), spec("self_consistency", 1, null, null, seed, sc(null, null)),
                    workers)) ? 1 : 0;
            voted += right(run(new SelfConsistency(), spec("self_consistency", 16, null, null, seed, sc(null, null)),
                    workers)) ? 1 : 0;
        }
        assertThat(voted).isGreaterThanOrEqualTo(single + 8);
        assertThat(voted).isGreaterThan(SEEDS / 2);
    }

    @Test
    void aRewardWeightedVoteRecoversTheRightAnswerWhenWrongOnesOutnumberIt() {
        var workers = new ToyWorkers(8, 0.8, 0.1, 42); // right ≈ 17%, each wrong answer ≈ 28%: majority misleads
        int majority = 0;
        int weighted = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            majority += right(run(new SelfConsistency(),
                    spec("self_consistency", 16, null, "toy-orm", seed, sc(null, null)), workers)) ? 1 : 0;
            weighted += right(run(new SelfConsistency(),
                    spec("self_consistency", 16, null, "toy-orm", seed, sc("weighted", null)), workers)) ? 1 : 0;
        }
        assertThat(weighted).isGreaterThan(majority + SEEDS / 4);
    }

    @Test
    void weightedBestOfNOutvotesARewardModelThatOverratesOneWrongAnswer() {
        // a noisy ORM that happens to rate the right solution's text low and some wrong text high: picking the single
        // top score follows the RM's error, summing scores per answer outvotes it
        var workers = new ToyWorkers(4, 0.8, 0.6, 42);
        int best = 0;
        int weighted = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            best += right(run(new BestOfN(), spec("best_of_n", 16, null, "toy-orm", seed,
                    new BestOfN.Options("best", null)), workers)) ? 1 : 0;
            weighted += right(run(new BestOfN(), spec("best_of_n", 16, null, "toy-orm", seed,
                    new BestOfN.Options("weighted", null)), workers)) ? 1 : 0;
        }
        assertThat(weighted).isGreaterThan(best + SEEDS / 2);
    }

    @Test
    void adaptiveVotingStopsEarlyOnAnEasyTaskAndKeepsSamplingOnAContestedOne() {
        var easy = new ToyWorkers(1, 0.97, 0.1, 42);
        var contested = new ToyWorkers(8, 0.8, 0.1, 42);
        long easyTokens = 0;
        long fullTokens = 0;
        int easySamples = 0;
        int contestedSamples = 0;
        int easyRight = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            var adaptive = run(new SelfConsistency(), spec("self_consistency", 16, null, null, seed,
                    sc(null, new Adaptive(4, 0.95))), easy);
            var full = run(new SelfConsistency(), spec("self_consistency", 16, null, null, seed, sc(null, null)), easy);
            easyTokens += adaptive.usedTokens();
            fullTokens += full.usedTokens();
            easySamples += adaptive.candidates().size();
            easyRight += right(adaptive) ? 1 : 0;
            contestedSamples += run(new SelfConsistency(), spec("self_consistency", 16, null, null, seed,
                    sc(null, new Adaptive(4, 0.95))), contested).candidates().size();
        }
        assertThat(easyTokens).isLessThan(fullTokens / 2);
        assertThat(easySamples).isLessThan(SEEDS * 6);
        assertThat(easyRight).isEqualTo(SEEDS);
        assertThat(contestedSamples).isGreaterThan(SEEDS * 14);
    }

    @Test
    void adaptiveBestOfNStopsAtTheFirstVerifiedPassWithTheSameSuccess() {
        var workers = new ToyWorkers(2, 0.8, 0.1, 42);
        int plainRight = 0;
        int adaptiveRight = 0;
        long plainTokens = 0;
        long adaptiveTokens = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            var plain = run(new BestOfN(), spec("best_of_n", 16, VerifierSpec.of("exact"), "toy-orm", seed,
                    new BestOfN.Options(null, null)), workers);
            var adaptive = run(new BestOfN(), spec("best_of_n", 16, VerifierSpec.of("exact"), "toy-orm", seed,
                    new BestOfN.Options(null, new Adaptive(2, 0.95))), workers);
            plainRight += right(plain) ? 1 : 0;
            adaptiveRight += right(adaptive) ? 1 : 0;
            plainTokens += plain.usedTokens();
            adaptiveTokens += adaptive.usedTokens();
            assertThat(adaptive.reason()).contains("adaptive: used");
        }
        assertThat(adaptiveRight).isEqualTo(plainRight).isEqualTo(SEEDS);
        assertThat(adaptiveTokens).isLessThan(plainTokens / 3);
    }

    @Test
    void temperaturesDrawTheirSamplesAsSeparateLabelledJobs() {
        var outcome = run(new SelfConsistency(), spec("self_consistency", 8, null, null, 3,
                new SelfConsistency.Options(null, List.of(0.3, 0.7, 1.0), null)), new ToyWorkers(4, 0.8, 0.1, 42));
        assertThat(outcome.candidates().stream().collect(Collectors.groupingBy(RunState.Candidate::label,
                Collectors.counting()))).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("t0=0.3", 3L, "t1=0.7", 3L, "t2=1.0", 2L));
        assertThat(outcome.reason()).startsWith("majority ");
    }

    @Test
    void firstFinishAnswersWithTheFirstSampleBackAndCancelsTheRest() {
        var workers = new ToyWorkers(4, 0.8, 0.1, 42);
        var first = run(new FirstFinish(), spec("first_finish", 8, null, null, 5, new FirstFinish.Options(null, null)),
                workers);
        var all = run(new BestOfN(), spec("best_of_n", 8, null, null, 5, new BestOfN.Options(null, null)), workers);
        assertThat(first.steps()).filteredOn(s -> s.status() == RunState.Step.Status.CANCELLED).hasSize(7);
        assertThat(first.steps()).filteredOn(s -> s.status() == RunState.Step.Status.DONE).hasSize(1);
        assertThat(first.candidates()).hasSize(1);
        // the cancelled samples were still generated (workers do not abort a job they started): their tokens count
        assertThat(first.usedTokens()).isGreaterThan(all.usedTokens() / 2);
        assertThat(first.reason()).startsWith("first finish: sample-0 finished first").endsWith("cancelled 7");
    }

    @Test
    void firstFinishRequiringAPassAnswersRightWhereOneSampleOftenFails() {
        var workers = new ToyWorkers(4, 0.8, 0.1, 42);
        int single = 0;
        int verified = 0;
        int cancelled = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            single += right(run(new FirstFinish(), spec("first_finish", 1, VerifierSpec.of("exact"), null, seed,
                    new FirstFinish.Options(false, null)), workers)) ? 1 : 0;
            // results in shuffled order (in order, every generation would be back before the first verdict)
            var outcome = run(new FirstFinish(), spec("first_finish", 8, VerifierSpec.of("exact"), null, seed,
                    new FirstFinish.Options(true, null)), workers, new InMemoryRun.Delivery(seed, true, 0, 0));
            verified += right(outcome) ? 1 : 0;
            cancelled += (int) outcome.steps().stream().filter(s -> s.status() == RunState.Step.Status.CANCELLED).count();
        }
        assertThat(verified).isGreaterThan(single + SEEDS / 4).isGreaterThanOrEqualTo(SEEDS - 2);
        assertThat(cancelled).isPositive();
    }
}
