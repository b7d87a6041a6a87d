package dev.verigen.orchestrator.strategies;

import static dev.verigen.orchestrator.strategies.SamplingFixtures.sample;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.state;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.step;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.withVerdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.RunState.Step.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstFinishTest {

    private final FirstFinish strategy = new FirstFinish();

    private static PipelineSpec spec(int n, boolean requireVerified, boolean shortest) {
        return SamplingFixtures.spec(FirstFinish.NAME, n, VerifierSpec.of("numeric"), null,
                new FirstFinish.Options(requireVerified, shortest));
    }

    private static List<RunState.Step> generations(int n) {
        var steps = new ArrayList<RunState.Step>();
        for (int i = 0; i < n; i++) {
            steps.add(step(StepKind.GENERATION, Status.PENDING, "sample-" + i));
        }
        return steps;
    }

    private static RunState.Step done(RunState.Step s) {
        return new RunState.Step(s.id(), s.kind(), Status.DONE, null, null, s.label(), s.attempt());
    }

    private static RunState.Step failed(RunState.Step s) {
        return new RunState.Step(s.id(), s.kind(), Status.FAILED, "job_timeout", "late", s.label(), s.attempt());
    }

    private static RunEvent.StepFinished finished(RunState.Step s, RunState.Candidate... made) {
        return new RunEvent.StepFinished(s.id(), s.kind(), s.label(),
                java.util.Arrays.stream(made).map(RunState.Candidate::id).toList(), null);
    }

    @Test
    void startsOneSingleSampleJobPerSampleWithDistinctLabels() {
        var actions = strategy.decide(state(spec(3, false, true), RunState.Budget.UNLIMITED, List.of(), List.of(), null),
                new RunEvent.Started());
        assertThat(actions).containsExactly(Action.Generate.samples("sample-0", 1), Action.Generate.samples("sample-1", 1),
                Action.Generate.samples("sample-2", 1));
    }

    @Test
    void asksOnlyForTheJobsTheBudgetCanPayForEachWithItsOwnPrompt() {
        long perJob = Costs.generationTokens(SamplingFixtures.PROMPT, 1, 100);
        var tokens = new RunState.Budget(3 * perJob + perJob - 1, null, 0, 0, 0, 0);
        assertThat(strategy.decide(state(spec(8, false, true), tokens, List.of(), List.of(), null),
                new RunEvent.Started())).hasSize(3);
        var calls = new RunState.Budget(null, 2L, 0, 0, 0, 0);
        assertThat(strategy.decide(state(spec(8, false, true), calls, List.of(), List.of(), null),
                new RunEvent.Started())).hasSize(2);
        assertThat(strategy.decide(state(spec(8, false, true), new RunState.Budget(perJob - 1, null, 0, 0, 0, 0),
                List.of(), List.of(), null), new RunEvent.Started())).singleElement()
                .isInstanceOfSatisfying(Action.Fail.class, f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
    }

    @Test
    void theFirstCompleteSampleIsTheAnswerAndTheRunningJobsAreCancelled() {
        var steps = generations(4);
        steps.set(2, done(steps.get(2)));
        steps.add(step(StepKind.VERIFICATION, Status.PENDING)); // not a generation: left alone
        var first = sample(0, "Step 1: ok\nAnswer: 42", "sample-2", "stop", 12);
        var actions = strategy.decide(state(spec(4, false, true), RunState.Budget.UNLIMITED, steps, List.of(first), null),
                finished(steps.get(2), first));
        assertThat(actions).containsExactly(
                new Action.Cancel(List.of(steps.get(0).id(), steps.get(1).id(), steps.get(3).id()),
                        "first_finish: sample-2 finished first"),
                new Action.Finish(first.id(),
                        "first finish: sample-2 finished first (12 completion tokens) with 1 of 4 samples back; cancelled 3"));
    }

    @Test
    void aSampleCutOffAtMaxTokensDoesNotCountAsFinished() {
        var steps = generations(2);
        steps.set(0, done(steps.get(0)));
        var cut = sample(0, "Step 1: ok\nStep 2: and th", "sample-0", "length", 100);
        assertThat(strategy.decide(state(spec(2, false, true), RunState.Budget.UNLIMITED, steps, List.of(cut), null),
                finished(steps.get(0), cut))).isEmpty();
    }

    @Test
    void amongSamplesAcceptableAtOnceTheShortestWinsUnlessToldOtherwise() {
        var steps = generations(3);
        steps.set(0, done(steps.get(0)));
        steps.set(1, done(steps.get(1)));
        var longer = withVerdict(sample(0, "Step 1: ok\nStep 2: ok\nAnswer: 42", "sample-0", "stop", 30), Outcome.PASS);
        var shorter = withVerdict(sample(1, "Answer: 42", "sample-1", "stop", 8), Outcome.PASS);
        var verification = step(StepKind.VERIFICATION, Status.DONE);
        steps.add(verification);
        var shortestFirst = strategy.decide(state(spec(3, true, true), RunState.Budget.UNLIMITED, steps,
                List.of(longer, shorter), null), finished(verification));
        assertThat(shortestFirst).last().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(shorter.id());
            assertThat(f.reason()).contains("passed the verifier", "the shortest of 2 acceptable at once");
        });
        var earliest = strategy.decide(state(spec(3, true, false), RunState.Budget.UNLIMITED, steps,
                List.of(longer, shorter), null), finished(verification));
        assertThat(earliest).last().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.candidateId()).isEqualTo(longer.id()));
        assertThat(earliest).first().isEqualTo(new Action.Cancel(List.of(steps.get(2).id()),
                "first_finish: sample-0 finished first"));
    }

    @Test
    void requiringAVerifiedPassVerifiesEachFinishedSampleBeforeAcceptingIt() {
        var steps = generations(2);
        steps.set(0, done(steps.get(0)));
        var c = sample(0, "Answer: 41", "sample-0", "stop", 5);
        var actions = strategy.decide(state(spec(2, true, true), RunState.Budget.UNLIMITED, steps, List.of(c), null),
                finished(steps.get(0), c));
        assertThat(actions).containsExactly(new Action.Verify(List.of(c.id())));

        var verification = step(StepKind.VERIFICATION, Status.DONE);
        steps.add(verification);
        var refuted = withVerdict(c, Outcome.FAIL);
        assertThat(strategy.decide(state(spec(2, true, true), RunState.Budget.UNLIMITED, steps, List.of(refuted), null),
                finished(verification))).isEmpty();
    }

    @Test
    void withoutAnyAcceptableSampleOnceAllAreBackBestOfNRankingDecidesCompleteOnesFirst() {
        var steps = generations(3);
        steps.replaceAll(FirstFinishTest::done);
        var verification = step(StepKind.VERIFICATION, Status.DONE);
        steps.add(verification);
        var cut = sample(0, "Step 1: ok", "sample-0", "length", 100);
        var wrong = withVerdict(sample(1, "Answer: 41", "sample-1", "stop", 5), Outcome.FAIL);
        var undecided = withVerdict(sample(2, "Answer: 40", "sample-2", "stop", 5), Outcome.ERROR);
        var actions = strategy.decide(state(spec(3, true, true), RunState.Budget.UNLIMITED, steps,
                List.of(cut, wrong, undecided), null), finished(verification));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(undecided.id());
            assertThat(f.reason()).isEqualTo(
                    "first finish: none passed the verifier (3 samples); best-of-N ranking took sample-2");
        });
        var allCut = strategy.decide(state(spec(3, false, true), RunState.Budget.UNLIMITED, steps, List.of(cut), null),
                finished(verification));
        assertThat(allCut).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.reason()).startsWith("first finish: none finished within max tokens"));
    }

    @Test
    void failsWhenEverySampleFailed() {
        var steps = generations(2);
        steps.replaceAll(FirstFinishTest::failed);
        var actions = strategy.decide(state(spec(2, false, true), RunState.Budget.UNLIMITED, steps, List.of(), null),
                new RunEvent.StepFinished(steps.get(1).id(), StepKind.GENERATION, "sample-1", List.of(),
                        new JobError("job_timeout", "late", true)));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Fail.class, f -> {
            assertThat(f.code()).isEqualTo("generation_failed");
            assertThat(f.detail()).contains("job_timeout");
        });
    }

    @Test
    void aFailedSampleWhileOthersRunIsWaitedThrough() {
        var steps = generations(2);
        steps.set(0, failed(steps.get(0)));
        assertThat(strategy.decide(state(spec(2, false, true), RunState.Budget.UNLIMITED, steps, List.of(), null),
                new RunEvent.StepFinished(steps.get(0).id(), StepKind.GENERATION, "sample-0", List.of(),
                        new JobError("engine_error", "boom", true)))).isEmpty();
    }
}
