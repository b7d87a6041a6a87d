package dev.verigen.orchestrator.strategies;

import static dev.verigen.orchestrator.strategies.SamplingFixtures.answer;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.answers;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.answersWithLogprobs;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.ids;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.lastScoringDone;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.sample;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.state;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.RunState.Step.Status;
import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import dev.verigen.orchestrator.strategies.sampling.Batches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SelfConsistencyTest {

    private final SelfConsistency strategy = new SelfConsistency();

    private static PipelineSpec spec(int n, String rewardModel, SelfConsistency.Options options) {
        return SamplingFixtures.spec(SelfConsistency.NAME, n, null, rewardModel, options);
    }

    private static SelfConsistency.Options majority() {
        return new SelfConsistency.Options(null, null, null);
    }

    private static SelfConsistency.Options weighted() {
        return new SelfConsistency.Options(SelfConsistency.WEIGHTED, null, null);
    }

    private static SelfConsistency.Options likelihood() {
        return new SelfConsistency.Options(SelfConsistency.LIKELIHOOD, null, null);
    }

    private static List<String> values(String... v) {
        return Arrays.asList(v);
    }

    /** The decision once every sample is generated and judged. */
    private Action.Finish conclude(PipelineSpec spec, List<RunState.Candidate> candidates) {
        var steps = List.of(step(StepKind.GENERATION, Status.DONE), step(StepKind.SCORING, Status.DONE));
        var actions = strategy.decide(state(spec, RunState.Budget.UNLIMITED, steps, candidates, null),
                lastScoringDone(steps));
        assertThat(actions).singleElement().isInstanceOf(Action.Finish.class);
        return (Action.Finish) actions.getFirst();
    }

    @Test
    void startsWithNSamplesOfTheRunsPrompt() {
        var actions = strategy.decide(state(spec(8, null, majority()), RunState.Budget.UNLIMITED, List.of(), List.of(),
                null), new RunEvent.Started());
        assertThat(actions).containsExactly(new Action.Generate(8));
    }

    @Test
    void splitsNAcrossTemperaturesAsSeparatelyLabelledJobs() {
        var options = new SelfConsistency.Options(null, List.of(0.3, 0.7, 1.0), null);
        var actions = strategy.decide(state(spec(8, null, options), RunState.Budget.UNLIMITED, List.of(), List.of(),
                null), new RunEvent.Started());
        assertThat(actions).containsExactly(
                Action.Generate.samples("t0=0.3", 3).withTemperature(0.3),
                Action.Generate.samples("t1=0.7", 3).withTemperature(0.7),
                Action.Generate.samples("t2=1.0", 2).withTemperature(1.0));
    }

    @Test
    void newSamplesAreVerifiedWhenThereIsAReferenceAndScoredWhenThereIsARewardModel() {
        var gen = step(StepKind.GENERATION, Status.DONE);
        var cands = answers(values("42", "41"), null);
        var spec = SamplingFixtures.spec(SelfConsistency.NAME, 2, VerifierSpec.of("numeric"), "sim-orm", majority());
        var actions = strategy.decide(state(spec, RunState.Budget.UNLIMITED, List.of(gen), cands, null),
                new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, ids(cands), null));
        assertThat(actions).containsExactly(new Action.Verify(ids(cands)), new Action.Score(ids(cands)));
    }

    @Test
    void theMostFrequentAnswerWinsAndTheReasonGivesTheVote() {
        var cands = answers(values("41", "42", "42.0", "43", "42,"), null);
        var finish = conclude(spec(5, null, majority()), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(1).id());
        assertThat(finish.reason()).isEqualTo("majority 3/5 for 42");
    }

    @Test
    void aTieGoesToTheAnswerThatAppearedFirst() {
        var cands = answers(values("7", "42", "42", "7"), null);
        var finish = conclude(spec(4, null, majority()), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.getFirst().id());
        assertThat(finish.reason()).startsWith("majority 2/4 for 7 (tied with 42");
    }

    @Test
    void theWinningGroupAnswersWithItsBestScoredMember() {
        var cands = answers(values("42", "41", "42", "42"), Arrays.asList(0.2, 0.9, 0.8, null));
        var finish = conclude(spec(4, "sim-orm", majority()), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(2).id());
    }

    @Test
    void aWeightedVoteFollowsTheRewardMassNotTheCount() {
        var cands = answers(values("41", "41", "41", "42", "42"), Arrays.asList(0.1, 0.2, 0.1, 0.9, 0.8));
        assertThat(conclude(spec(5, "sim-orm", majority()), cands).reason()).startsWith("majority 3/5 for 41");
        var finish = conclude(spec(5, "sim-orm", weighted()), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(3).id());
        assertThat(finish.reason()).isEqualTo("weighted vote 1.70 of 2.10 (2/5 samples) for 42");
    }

    @Test
    void aWeightedVoteWithoutAnyScoreCountsVotesAndSaysSo() {
        var cands = answers(values("41", "42", "42"), null);
        var finish = conclude(spec(3, "sim-orm", weighted()), cands);
        assertThat(finish.reason()).startsWith("majority 2/3 for 42");
    }

    @Test
    void aLikelihoodVoteAsksTheEngineForLogprobsInEveryJob() {
        var start = strategy.decide(state(spec(8, null, likelihood()), RunState.Budget.UNLIMITED, List.of(), List.of(),
                null), new RunEvent.Started());
        assertThat(start).containsExactly(new Action.Generate(8).withLogprobs(true));
        var spread = new SelfConsistency.Options(SelfConsistency.LIKELIHOOD, List.of(0.3, 0.7), new Adaptive(4, 0.95));
        var batch = strategy.decide(state(spec(8, null, spread), RunState.Budget.UNLIMITED, List.of(), List.of(),
                null), new RunEvent.Started());
        assertThat(batch).filteredOn(Action.Generate.class::isInstance).hasSize(2)
                .allSatisfy(a -> assertThat(((Action.Generate) a).logprobs()).isTrue());
        var majority = strategy.decide(state(spec(8, null, majority()), RunState.Budget.UNLIMITED, List.of(), List.of(),
                null), new RunEvent.Started());
        assertThat(((Action.Generate) majority.getFirst()).logprobs()).isFalse();
    }

    @Test
    void aLikelihoodVoteFollowsTheModelsProbabilityNotTheCount() {
        // three unlikely samples say 41 (p = e^-4 each), two likely ones say 42 (p = e^-0.5 and e^-1)
        var cands = answersWithLogprobs(values("41", "42", "41", "42", "41"), List.of(-4.0, -0.5, -4.0, -1.0, -4.0));
        assertThat(conclude(spec(5, null, majority()), cands).reason()).startsWith("majority 3/5 for 41");
        var finish = conclude(spec(5, null, likelihood()), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(1).id());
        // masses relative to the most likely sample: 1 + e^-0.5 = 1.61 for 42, 3 e^-3.5 = 0.09 for 41
        assertThat(finish.reason()).isEqualTo("likelihood vote 1.61 of 1.70 (2/5 samples) for 42");
    }

    @Test
    void aLikelihoodVoteOfLongTextsDoesNotUnderflowToATie() {
        // exp(-2000) is 0 in double precision; relative to the most likely sample the vote still sees e^-1 against 1
        var cands = answersWithLogprobs(values("41", "42"), List.of(-2001.0, -2000.0));
        assertThat(conclude(spec(2, null, likelihood()), cands).candidateId()).isEqualTo(cands.get(1).id());
    }

    @Test
    void aLikelihoodVoteWithoutAnyLogprobCountsVotes() {
        var cands = answers(values("41", "42", "42"), null);
        assertThat(conclude(spec(3, null, likelihood()), cands).reason()).isEqualTo("majority 2/3 for 42");
        // one sample with a logprob is enough to weigh: the others count nothing
        var mixed = new ArrayList<>(cands);
        mixed.set(0, SamplingFixtures.withLogprob(cands.getFirst(), -3.0));
        assertThat(conclude(spec(3, null, likelihood()), mixed).reason()).startsWith("likelihood vote 1.00 of 1.00");
    }

    @Test
    void theVerifiersExtractionIsWhatVotesAndItsVerdictIsReported() {
        var a = new RunState.Candidate(UUID.randomUUID(), 0, "so it is forty-two", Outcome.PASS, "42", null);
        var b = new RunState.Candidate(UUID.randomUUID(), 1, "Answer: 41", Outcome.FAIL, "41", null);
        var c = new RunState.Candidate(UUID.randomUUID(), 2, "I think 42.0", Outcome.PASS, "42.0", null);
        var finish = conclude(spec(3, null, majority()), List.of(a, b, c));
        assertThat(finish.candidateId()).isEqualTo(a.id());
        assertThat(finish.reason()).isEqualTo("majority 2/3 for 42; verifier: PASS");
    }

    @Test
    void theVerifierNeverOverrulesTheVote() {
        var a = new RunState.Candidate(UUID.randomUUID(), 0, "Answer: 41", Outcome.FAIL, "41", null);
        var b = new RunState.Candidate(UUID.randomUUID(), 1, "Answer: 41", Outcome.FAIL, "41", null);
        var c = new RunState.Candidate(UUID.randomUUID(), 2, "Answer: 42", Outcome.PASS, "42", null);
        assertThat(conclude(spec(3, null, majority()), List.of(a, b, c)).candidateId()).isEqualTo(a.id());
    }

    @Test
    void samplesCutOffAtMaxTokensOrWithoutAnAnswerDoNotVote() {
        var cut1 = sample(0, "Step 1: 17 * 23 = 391, plus 5 is 39", "", "length", 100);
        var cut2 = sample(1, "Step 1: 17 * 23 = 391, plus 5 is 39", "", "length", 100);
        var none = sample(2, "I cannot solve this.", "", "stop", 5);
        var right = sample(3, "Answer: 396", "", "stop", 5);
        var finish = conclude(spec(4, null, majority()), List.of(cut1, cut2, none, right));
        assertThat(finish.candidateId()).isEqualTo(right.id());
        assertThat(finish.reason()).isEqualTo("majority 1/1 for 396; 3 samples stated no answer");
    }

    @Test
    void withoutAnyAnswerToVoteOnBestOfNRankingDecides() {
        var a = answer(0, "no idea", null, 0.2);
        var b = answer(1, "still no idea", null, 0.7);
        var finish = conclude(spec(2, "sim-orm", majority()), List.of(a, b));
        assertThat(finish.candidateId()).isEqualTo(b.id());
        assertThat(finish.reason()).startsWith("no vote: none of 2 samples stated a final answer");
    }

    @Test
    void failsWithTheEngineReasonWhenNothingWasGenerated() {
        var gen = step(StepKind.GENERATION, Status.FAILED);
        var actions = strategy.decide(state(spec(4, null, majority()), RunState.Budget.UNLIMITED, List.of(gen), List.of(),
                null), new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, List.of(),
                new JobError("engine_error", "boom", true)));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Fail.class, f -> {
            assertThat(f.code()).isEqualTo("generation_failed");
            assertThat(f.detail()).contains("engine_error", "boom");
        });
    }

    @Test
    void failsAtOnceWhenNotEvenOneSampleIsAffordable() {
        var actions = strategy.decide(state(spec(8, null, majority()), new RunState.Budget(10L, null, 0, 0, 0, 0),
                List.of(), List.of(), null), new RunEvent.Started());
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Fail.class,
                f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
    }

    @Test
    void waitsWhileAnyTemperaturesJobIsStillRunning() {
        var done = step(StepKind.GENERATION, Status.DONE, "t0=0.3");
        var running = step(StepKind.GENERATION, Status.PENDING, "t1=0.7");
        var cands = answers(values("42", "42"), null);
        var actions = strategy.decide(state(spec(4, null, new SelfConsistency.Options(null, List.of(0.3, 0.7), null)),
                RunState.Budget.UNLIMITED, List.of(done, running), cands, null),
                new RunEvent.StepFinished(done.id(), StepKind.GENERATION, "t0=0.3", ids(cands), null));
        assertThat(actions).isEmpty();
    }

    // --- adaptive ---

    private static SelfConsistency.Options adaptive() {
        return new SelfConsistency.Options(null, null, new Adaptive(4, 0.95));
    }

    private List<Action> afterBatch(SelfConsistency.Options options, int n, List<RunState.Candidate> cands,
                                    Batches.Memo memo, RunState.Budget budget) {
        var steps = new ArrayList<RunState.Step>();
        for (int b = 1; b <= memo.batches(); b++) {
            steps.add(step(StepKind.GENERATION, Status.DONE, "batch-" + b));
        }
        var last = steps.getLast();
        return strategy.decide(state(spec(n, null, options), budget, steps, cands, memo),
                new RunEvent.StepFinished(last.id(), StepKind.GENERATION, last.label(), List.of(), null));
    }

    @Test
    void adaptiveStartsWithOneBatchAndRemembersIt() {
        var actions = strategy.decide(state(spec(16, null, adaptive()), RunState.Budget.UNLIMITED, List.of(), List.of(),
                null), new RunEvent.Started());
        assertThat(actions).containsExactly(Action.Generate.samples("batch-1", 4),
                new Action.Remember(new Batches.Memo(4, 1)));
    }

    @Test
    void adaptiveStopsWhenTheLeaderIsSafelyAhead() {
        var actions = afterBatch(adaptive(), 16, answers(values("42", "42", "42", "42"), null), new Batches.Memo(4, 1),
                RunState.Budget.UNLIMITED);
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> assertThat(f.reason())
                .isEqualTo("majority 4/4 for 42; adaptive: used 4 of 16 samples in 1 batch, stopped early: "
                        + "P(leader stays ahead) = 0.969 ≥ 0.95"));
    }

    @Test
    void adaptiveAsksForAnotherBatchWhileTheVoteIsContested() {
        var actions = afterBatch(adaptive(), 16, answers(values("42", "41", "42", "41"), null), new Batches.Memo(4, 1),
                RunState.Budget.UNLIMITED);
        assertThat(actions).containsExactly(Action.Generate.samples("batch-2", 4),
                new Action.Remember(new Batches.Memo(8, 2)));
    }

    @Test
    void adaptiveAsksOnlyForTheRemainderAndStopsAtN() {
        var cands = answers(values("1", "2", "3", "4", "5", "6", "7", "8", "9"), null);
        assertThat(afterBatch(adaptive(), 10, cands.subList(0, 8), new Batches.Memo(8, 2), RunState.Budget.UNLIMITED))
                .containsExactly(Action.Generate.samples("batch-3", 2), new Action.Remember(new Batches.Memo(10, 3)));
        var done = afterBatch(adaptive(), 10, answers(values("1", "2", "3", "4", "5", "6", "7", "8", "9", "9"), null),
                new Batches.Memo(10, 3), RunState.Budget.UNLIMITED);
        assertThat(done).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> assertThat(f.reason())
                .isEqualTo("majority 2/10 for 9; adaptive: used 10 of 10 samples in 3 batches"));
    }

    @Test
    void adaptiveFinishesWithTheVoteSoFarWhenTheBudgetCannotPayForAnotherSample() {
        long oneSample = Costs.generationTokens(SamplingFixtures.PROMPT, 1, 100);
        var budget = new RunState.Budget(1000L + oneSample - 1, null, 1000, 0, 0, 0);
        var actions = afterBatch(adaptive(), 16, answers(values("42", "41", "42", "41"), null), new Batches.Memo(4, 1),
                budget);
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> assertThat(f.reason())
                .endsWith("used 4 of 16 samples in 1 batch, stopped: the budget could not pay for more"));
    }

    @Test
    void aWeightedAdaptiveVoteNeedsMoreMassThanCounts() {
        // four unanimous votes with scores 0.5 are a mass of 2: not yet safe at 0.95
        var options = new SelfConsistency.Options(SelfConsistency.WEIGHTED, null, new Adaptive(4, 0.95));
        var steps = List.of(step(StepKind.GENERATION, Status.DONE, "batch-1"), step(StepKind.SCORING, Status.DONE));
        var cands = answers(values("42", "42", "42", "42"), List.of(0.5, 0.5, 0.5, 0.5));
        var actions = strategy.decide(state(spec(16, "sim-orm", options), RunState.Budget.UNLIMITED, steps, cands,
                new Batches.Memo(4, 1)), lastScoringDone(steps));
        assertThat(actions).first().isEqualTo(Action.Generate.samples("batch-2", 4));
    }

    @Test
    void adaptiveBatchesSpreadOverTemperatures() {
        var options = new SelfConsistency.Options(null, List.of(0.3, 0.7, 1.0), new Adaptive(4, 0.95));
        var actions = afterBatch(options, 12, answers(values("42", "41", "42", "41"), null), new Batches.Memo(4, 1),
                RunState.Budget.UNLIMITED);
        assertThat(actions).containsExactly(
                Action.Generate.samples("batch-2/t0=0.3", 1).withTemperature(0.3),
                Action.Generate.samples("batch-2/t1=0.7", 2).withTemperature(0.7),
                Action.Generate.samples("batch-2/t2=1.0", 1).withTemperature(1.0),
                new Action.Remember(new Batches.Memo(8, 2)));
    }
}
