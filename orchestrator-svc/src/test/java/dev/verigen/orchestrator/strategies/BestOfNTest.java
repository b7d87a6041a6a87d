package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.JobError;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BestOfNTest {

    private final BestOfN strategy = new BestOfN();
    private final UUID runId = UUID.randomUUID();

    private static PipelineSpec spec(int n, VerifierSpec verifier, String rewardModel) {
        return new PipelineSpec("best_of_n", n, "sim-math", verifier, rewardModel,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60);
    }

    private RunState state(PipelineSpec spec, RunState.Budget budget, List<RunState.Step> steps,
                           List<RunState.Candidate> candidates) {
        return new RunState(runId, spec, new RunInput("What is 6 * 7?", "42"), budget, steps, candidates);
    }

    private static RunState.Step step(StepKind kind, RunState.Step.Status status) {
        return new RunState.Step(UUID.randomUUID(), kind, status, status == RunState.Step.Status.FAILED ? "engine_error" : null,
                status == RunState.Step.Status.FAILED ? "boom" : null);
    }

    private static RunState.Candidate candidate(int index, Outcome verdict, Double score) {
        return new RunState.Candidate(UUID.randomUUID(), index, "Answer: " + index, verdict, null, score);
    }

    @Test
    void startsByAskingForNSamples() {
        var actions = strategy.decide(state(spec(8, VerifierSpec.of("numeric"), "sim-orm"), RunState.Budget.UNLIMITED,
                List.of(), List.of()), new RunEvent.Started());
        assertThat(actions).containsExactly(new Action.Generate(8));
    }

    @Test
    void asksOnlyForWhatTheBudgetCanPayFor() {
        long promptBound = Costs.promptTokensBound("What is 6 * 7?");
        var budget = new RunState.Budget(promptBound + 3 * 100 + 50, null, 0, 0, 0, 0);
        assertThat(strategy.decide(state(spec(8, null, null), budget, List.of(), List.of()), new RunEvent.Started()))
                .containsExactly(new Action.Generate(3));
        var calls = new RunState.Budget(null, 5L, 0, 0, 0, 0);
        assertThat(strategy.decide(state(spec(8, null, null), calls, List.of(), List.of()), new RunEvent.Started()))
                .containsExactly(new Action.Generate(5));
    }

    @Test
    void failsAtOnceWhenNotEvenOneSampleIsAffordable() {
        var budget = new RunState.Budget(10L, null, 0, 0, 0, 0);
        var actions = strategy.decide(state(spec(8, null, null), budget, List.of(), List.of()), new RunEvent.Started());
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Fail.class,
                f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
    }

    @Test
    void newCandidatesAreVerifiedAndScored() {
        var gen = step(StepKind.GENERATION, RunState.Step.Status.DONE);
        var cands = List.of(candidate(0, null, null), candidate(1, null, null));
        var ids = cands.stream().map(RunState.Candidate::id).toList();
        var actions = strategy.decide(state(spec(2, VerifierSpec.of("numeric"), "sim-orm"), RunState.Budget.UNLIMITED,
                List.of(gen), cands), new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, ids, null));
        assertThat(actions).containsExactly(new Action.Verify(ids), new Action.Score(ids));
    }

    @Test
    void skipsScoringWhenTheCallBudgetIsSpentButStillVerifies() {
        var gen = step(StepKind.GENERATION, RunState.Step.Status.DONE);
        var cands = List.of(candidate(0, null, null), candidate(1, null, null));
        var ids = cands.stream().map(RunState.Candidate::id).toList();
        var spent = new RunState.Budget(null, 3L, 0, 2, 0, 0);
        var actions = strategy.decide(state(spec(2, VerifierSpec.of("numeric"), "sim-orm"), spent, List.of(gen), cands),
                new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, ids, null));
        assertThat(actions).containsExactly(new Action.Verify(ids));
    }

    @Test
    void waitsWhileJudgementsArePending() {
        var steps = List.of(step(StepKind.GENERATION, RunState.Step.Status.DONE),
                step(StepKind.VERIFICATION, RunState.Step.Status.DONE), step(StepKind.SCORING, RunState.Step.Status.PENDING));
        var actions = strategy.decide(state(spec(2, VerifierSpec.of("numeric"), "sim-orm"), RunState.Budget.UNLIMITED,
                steps, List.of(candidate(0, Outcome.PASS, null))),
                new RunEvent.StepFinished(steps.get(1).id(), StepKind.VERIFICATION, List.of(), null));
        assertThat(actions).isEmpty();
    }

    @Test
    void aVerifiedCandidateBeatsAHigherScoredWrongOne() {
        var wrong = candidate(0, Outcome.FAIL, 0.99);
        var right = candidate(1, Outcome.PASS, 0.40);
        var unjudged = candidate(2, Outcome.ERROR, 0.95);
        assertThat(finish(List.of(wrong, right, unjudged)).candidateId()).isEqualTo(right.id());
    }

    @Test
    void theRewardModelBreaksTiesAmongVerifiedCandidates() {
        var low = candidate(0, Outcome.PASS, 0.3);
        var high = candidate(1, Outcome.PASS, 0.8);
        var unscored = candidate(2, Outcome.PASS, null);
        Action.Finish finish = finish(List.of(low, high, unscored));
        assertThat(finish.candidateId()).isEqualTo(high.id());
        assertThat(finish.reason()).contains("verified", "3 of 3");
    }

    @Test
    void withoutAnyPassTheBestScoredUnrefutedCandidateWinsAndTheReasonSaysSo() {
        var failed = candidate(0, Outcome.FAIL, 0.9);
        var undecided = candidate(1, Outcome.ERROR, 0.2);
        Action.Finish finish = finish(List.of(failed, undecided));
        assertThat(finish.candidateId()).isEqualTo(undecided.id());
        assertThat(finish.reason()).startsWith("no candidate passed verification");
    }

    @Test
    void equalCandidatesResolveToTheEarliestSample() {
        var first = candidate(0, Outcome.PASS, 0.5);
        var second = candidate(1, Outcome.PASS, 0.5);
        assertThat(finish(List.of(second, first)).candidateId()).isEqualTo(first.id());
    }

    @Test
    void failsWithTheEngineReasonWhenGenerationProducedNothing() {
        var gen = step(StepKind.GENERATION, RunState.Step.Status.FAILED);
        var actions = strategy.decide(state(spec(4, VerifierSpec.of("numeric"), "sim-orm"), RunState.Budget.UNLIMITED,
                List.of(gen), List.of()), new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, List.of(),
                new JobError("engine_error", "boom", true)));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Fail.class, f -> {
            assertThat(f.code()).isEqualTo("generation_failed");
            assertThat(f.detail()).contains("engine_error", "boom");
        });
    }

    @Test
    void withoutVerifierOrRewardModelTheRunFinishesRightAfterGeneration() {
        var gen = step(StepKind.GENERATION, RunState.Step.Status.DONE);
        var cands = List.of(candidate(0, null, null), candidate(1, null, null));
        var actions = strategy.decide(state(spec(2, null, null), RunState.Budget.UNLIMITED, List.of(gen), cands),
                new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, cands.stream().map(RunState.Candidate::id).toList(), null));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.candidateId()).isEqualTo(cands.getFirst().id()));
    }

    private Action.Finish finish(List<RunState.Candidate> candidates) {
        var steps = new ArrayList<RunState.Step>();
        steps.add(step(StepKind.GENERATION, RunState.Step.Status.DONE));
        steps.add(step(StepKind.VERIFICATION, RunState.Step.Status.DONE));
        var last = step(StepKind.SCORING, RunState.Step.Status.DONE);
        steps.add(last);
        var actions = strategy.decide(state(spec(candidates.size(), VerifierSpec.of("numeric"), "sim-orm"),
                RunState.Budget.UNLIMITED, steps, candidates), new RunEvent.StepFinished(last.id(), StepKind.SCORING, List.of(), null));
        assertThat(actions).singleElement().isInstanceOf(Action.Finish.class);
        return (Action.Finish) actions.getFirst();
    }
}
