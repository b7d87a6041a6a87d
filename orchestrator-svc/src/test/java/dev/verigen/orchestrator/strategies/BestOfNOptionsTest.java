package dev.verigen.orchestrator.strategies;

import static dev.verigen.orchestrator.strategies.SamplingFixtures.answers;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.lastScoringDone;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.state;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.step;
import static dev.verigen.orchestrator.strategies.SamplingFixtures.withVerdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.RunState.Step.Status;
import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import dev.verigen.orchestrator.strategies.sampling.Batches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Best-of-N's weighted selection and adaptive early stopping (the default behaviour is BestOfNTest's). */
class BestOfNOptionsTest {

    private final BestOfN strategy = new BestOfN();

    private static PipelineSpec spec(int n, VerifierSpec verifier, BestOfN.Options options) {
        return SamplingFixtures.spec(BestOfN.NAME, n, verifier, "sim-orm", options);
    }

    private static final BestOfN.Options WEIGHTED = new BestOfN.Options(BestOfN.WEIGHTED, null);

    private Action.Finish conclude(PipelineSpec spec, List<RunState.Candidate> candidates) {
        var steps = List.of(step(StepKind.GENERATION, Status.DONE), step(StepKind.SCORING, Status.DONE));
        var actions = strategy.decide(state(spec, RunState.Budget.UNLIMITED, steps, candidates, null),
                lastScoringDone(steps));
        assertThat(actions).singleElement().isInstanceOf(Action.Finish.class);
        return (Action.Finish) actions.getFirst();
    }

    @Test
    void optionsAbsentFromAStoredSpecMeanTheDefault() {
        var options = SamplingFixtures.spec(BestOfN.NAME, 4, null, null, null).options(BestOfN.Options.class);
        assertThat(options).isEqualTo(new BestOfN.Options(BestOfN.BEST, null));
    }

    @Test
    void weightedSelectionAnswersWithTheBestMemberOfTheHeaviestAnswer() {
        var cands = answers(List.of("41", "42", "42", "42.0"), Arrays.asList(0.9, 0.5, 0.6, 0.1));
        assertThat(conclude(spec(4, null, new BestOfN.Options(null, null)), cands).candidateId())
                .isEqualTo(cands.getFirst().id());
        var finish = conclude(spec(4, null, WEIGHTED), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(2).id());
        assertThat(finish.reason()).isEqualTo(
                "unverified: weighted best-of-N, weighted vote 1.20 of 2.10 (3/4 samples) for 42");
    }

    @Test
    void aVerifiedPassStillBeatsTheHeaviestAnswer() {
        var cands = new ArrayList<>(answers(List.of("41", "41", "42"), Arrays.asList(0.9, 0.9, 0.1)));
        cands.set(2, withVerdict(cands.get(2), Outcome.PASS));
        var finish = conclude(spec(3, VerifierSpec.of("numeric"), WEIGHTED), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(2).id());
        assertThat(finish.reason()).startsWith("verified");
    }

    @Test
    void refutedAnswersDoNotVoteWhileUnrefutedOnesRemain() {
        var cands = new ArrayList<>(answers(List.of("41", "41", "43"), Arrays.asList(0.9, 0.9, 0.2)));
        cands.set(0, withVerdict(cands.get(0), Outcome.FAIL));
        cands.set(1, withVerdict(cands.get(1), Outcome.FAIL));
        cands.set(2, withVerdict(cands.get(2), Outcome.ERROR));
        var finish = conclude(spec(3, VerifierSpec.of("numeric"), WEIGHTED), cands);
        assertThat(finish.candidateId()).isEqualTo(cands.get(2).id());
        assertThat(finish.reason()).startsWith("no candidate passed verification (3 tried): weighted best-of-N");
    }

    @Test
    void adaptiveSamplesOneBatchAtATime() {
        var options = new BestOfN.Options(null, new Adaptive(2, 0.95));
        var actions = strategy.decide(state(spec(8, VerifierSpec.of("numeric"), options), RunState.Budget.UNLIMITED,
                List.of(), List.of(), null), new RunEvent.Started());
        assertThat(actions).containsExactly(Action.Generate.samples("batch-1", 2),
                new Action.Remember(new Batches.Memo(2, 1)));
    }

    private List<Action> afterBatch(BestOfN.Options options, List<RunState.Candidate> cands, Batches.Memo memo) {
        var steps = new ArrayList<RunState.Step>();
        for (int b = 1; b <= memo.batches(); b++) {
            steps.add(step(StepKind.GENERATION, Status.DONE, "batch-" + b));
            steps.add(step(StepKind.VERIFICATION, Status.DONE));
            steps.add(step(StepKind.SCORING, Status.DONE));
        }
        return strategy.decide(state(spec(8, VerifierSpec.of("numeric"), options), RunState.Budget.UNLIMITED, steps,
                cands, memo), lastScoringDone(steps));
    }

    @Test
    void adaptiveStopsAsSoonAsACandidatePasses() {
        var cands = new ArrayList<>(answers(List.of("41", "42"), Arrays.asList(0.9, 0.3)));
        cands.set(0, withVerdict(cands.get(0), Outcome.FAIL));
        cands.set(1, withVerdict(cands.get(1), Outcome.PASS));
        var actions = afterBatch(new BestOfN.Options(null, new Adaptive(2, 0.95)), cands, new Batches.Memo(2, 1));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(cands.get(1).id());
            assertThat(f.reason()).endsWith(
                    "; adaptive: used 2 of 8 samples in 1 batch, stopped early: a candidate passed verification");
        });
    }

    @Test
    void adaptiveKeepsSamplingWhileNothingPassed() {
        var cands = new ArrayList<>(answers(List.of("41", "43"), Arrays.asList(0.9, 0.3)));
        cands.replaceAll(c -> withVerdict(c, Outcome.FAIL));
        var actions = afterBatch(new BestOfN.Options(null, new Adaptive(2, 0.95)), cands, new Batches.Memo(2, 1));
        assertThat(actions).containsExactly(Action.Generate.samples("batch-2", 2),
                new Action.Remember(new Batches.Memo(4, 2)));
    }

    @Test
    void adaptiveWeightedSelectionAlsoStopsWhenTheLeadingAnswerIsSafe() {
        var options = new BestOfN.Options(BestOfN.WEIGHTED, new Adaptive(4, 0.9));
        var cands = answers(List.of("42", "42", "42", "42", "42"), List.of(0.9, 0.9, 0.9, 0.9, 0.9));
        var steps = List.of(step(StepKind.GENERATION, Status.DONE, "batch-1"), step(StepKind.SCORING, Status.DONE));
        var actions = strategy.decide(state(spec(8, null, options), RunState.Budget.UNLIMITED, steps, cands,
                new Batches.Memo(5, 1)), lastScoringDone(steps));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.reason()).contains("stopped early: P(leader stays ahead) = 0.9").contains("≥ 0.9"));
    }
}
