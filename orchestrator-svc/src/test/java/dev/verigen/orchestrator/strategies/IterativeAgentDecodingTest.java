package dev.verigen.orchestrator.strategies;

import static dev.verigen.orchestrator.strategies.roles.Fixtures.answer;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.candidate;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.done;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.errors;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.failed;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.pending;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.state;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.validated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.orchestrator.strategies.iad.IadMemo;
import dev.verigen.orchestrator.strategies.iad.IadOptions;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IterativeAgentDecodingTest {

    private final IterativeAgentDecoding iad = new IterativeAgentDecoding();
    private final PipelineSpec base = Fixtures.spec("iad", "sim-math", 4, "numeric", "sim-orm", 100, 7);

    private PipelineSpec spec(String options) {
        return validated(iad, base, options);
    }

    private static RunEvent.StepFinished finished(RunState.Step step, List<UUID> created) {
        return new RunEvent.StepFinished(step.id(), step.kind(), step.label(), created, null);
    }

    // three round-0 answers, all judged: the middle one is the best
    private final RunState.Candidate a = answer(0, "iad/r0", "Step 1: 6*7=41\nAnswer: 41", Outcome.FAIL, 0.3);
    private final RunState.Candidate b = answer(1, "iad/r0", "Step 1: 6*7=43\nAnswer: 43", Outcome.FAIL, 0.6);
    private final RunState.Candidate c = answer(2, "iad/r0", "Step 1: 6*7=40\nAnswer: 40", Outcome.FAIL, 0.5);

    @Test
    void optionsDefaultToFourRoundsOfNRefinementsOfTheBestTwo() {
        assertThat(IadOptions.of(spec("{}"))).isEqualTo(new IadOptions(4, 4, 2, false, 2, true));
        assertThat(IadOptions.of(spec("""
                {"maxRounds": 2, "refinements": 3, "keep": 1, "critique": true, "patience": 1, "stopOnPass": false}""")))
                .isEqualTo(new IadOptions(2, 3, 1, true, 1, false));
        assertThat(IadOptions.of(base)).isEqualTo(IadOptions.defaults(4));
    }

    @Test
    void optionsOutOfRangeOrUnknownAreRefusedWithTheirPaths() {
        assertThat(errors(iad, base, """
                {"maxRounds": 0, "keep": 17, "patience": "2", "critique": 1, "rounds": 3}""", true))
                .extracting(FieldError::field).containsExactlyInAnyOrder("pipeline.options.rounds",
                        "pipeline.options.maxRounds", "pipeline.options.keep", "pipeline.options.patience",
                        "pipeline.options.critique");
    }

    @Test
    void aRunWithoutFeedbackIsRefused() {
        var blind = Fixtures.spec("iad", "sim-math", 4, null, null, 100, 7);
        assertThat(errors(iad, blind, null, true)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("pipeline.rewardModel");
            assertThat(e.message()).contains("reward model").contains("verifier");
        });
        var verifierOnly = Fixtures.spec("iad", "sim-math", 4, "numeric", null, 100, 7);
        assertThat(errors(iad, verifierOnly, null, false)).extracting(FieldError::field)
                .containsExactly("pipeline.rewardModel");
        assertThat(errors(iad, verifierOnly, null, true)).isEmpty();
    }

    @Test
    void startsWithNSamplesInRoundZero() {
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(), List.of(), null),
                new RunEvent.Started());
        assertThat(actions).containsExactly(new Action.Remember(IadMemo.start()), Action.Generate.samples("iad/r0", 4));
    }

    @Test
    void roundZeroLeavesRoomToScoreItsSamplesAndFailsWhenNoneFits() {
        var calls = new RunState.Budget(null, 6L, 0, 0, 0, 0);
        assertThat(iad.decide(state(spec("{}"), calls, List.of(), List.of(), null), new RunEvent.Started()))
                .contains(Action.Generate.samples("iad/r0", 3));
        var tiny = new RunState.Budget(50L, null, 0, 0, 0, 0);
        assertThat(iad.decide(state(spec("{}"), tiny, List.of(), List.of(), null), new RunEvent.Started()))
                .singleElement().isInstanceOfSatisfying(Action.Fail.class,
                        f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
    }

    @Test
    void newAnswersAreVerifiedAndScored() {
        var gen = done(StepKind.GENERATION, "iad/r0");
        var fresh = List.of(answer(0, "iad/r0", "Answer: 41", null, null), answer(1, "iad/r0", "Answer: 42", null, null));
        var ids = fresh.stream().map(RunState.Candidate::id).toList();
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(gen), fresh, IadMemo.start()),
                finished(gen, ids));
        assertThat(actions).containsExactly(new Action.Verify(ids), new Action.Score(ids));
    }

    @Test
    void aVerifiedPassFinishesAtOnceAndReleasesWhatIsInFlight() {
        var verify = done(StepKind.VERIFICATION, "");
        var scoring = pending(StepKind.SCORING, "");
        var passed = answer(3, "iad/r0", "Answer: 42", Outcome.PASS, null);
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(verify, scoring),
                List.of(a, passed), IadMemo.start()), finished(verify, List.of()));
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isEqualTo(new Action.Cancel(List.of(scoring.id()), "the run has its answer"));
        assertThat(actions.get(1)).isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(passed.id());
            assertThat(f.reason()).startsWith("verified: passed the verifier in round 0");
        });
    }

    @Test
    void nothingHappensWhileTheRoundHasWorkOut() {
        var scoring = done(StepKind.SCORING, "");
        var verify = pending(StepKind.VERIFICATION, "");
        assertThat(iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(scoring, verify), List.of(a, b),
                IadMemo.start()), finished(scoring, List.of()))).isEmpty();
    }

    @Test
    void theRoundEndsByRefiningTheBestAnswersWithTheirFeedback() {
        var scoring = done(StepKind.SCORING, "");
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(scoring), List.of(a, b, c),
                IadMemo.start()), finished(scoring, List.of()));
        assertThat(actions.getFirst()).isEqualTo(new Action.Remember(
                new IadMemo(1, IadMemo.Phase.REFINING, b.id(), 0, List.of(b.id(), c.id()))));
        var refines = actions.subList(1, actions.size());
        assertThat(refines).hasSize(2).allSatisfy(x -> assertThat(x).isInstanceOfSatisfying(Action.Generate.class, g -> {
            assertThat(g.role()).isEqualTo(Role.REFINE);
            assertThat(g.n()).isEqualTo(2);
            assertThat(g.prompt()).startsWith("Task:\nWhat is 6 * 7?\n\nPrevious answer:\n").contains("Feedback:\n")
                    .contains("checked and is wrong").doesNotContain("42");
        }));
        var first = (Action.Generate) refines.get(0);
        assertThat(first.label()).isEqualTo("iad/r1/refine/0");
        assertThat(first.parent()).isEqualTo(b.id());
        assertThat(first.prompt()).contains(b.text()).contains("Reward model score: 0.600");
        assertThat(((Action.Generate) refines.get(1)).parent()).isEqualTo(c.id());
    }

    @Test
    void withCritiquesEachKeptAnswerIsCritiquedBeforeItIsRefined() {
        var options = spec("{\"critique\": true, \"keep\": 1, \"refinements\": 3}");
        var scoring = done(StepKind.SCORING, "");
        var actions = iad.decide(state(options, RunState.Budget.UNLIMITED, List.of(scoring), List.of(a, b, c),
                IadMemo.start()), finished(scoring, List.of()));
        var critiquing = new IadMemo(1, IadMemo.Phase.CRITIQUING, b.id(), 0, List.of(b.id()));
        assertThat(actions).containsExactly(new Action.Remember(critiquing), new Action.Generate("iad/r1/critique/0",
                Role.CRITIQUE, null, "Task:\nWhat is 6 * 7?\n\nAnswer to judge:\n" + b.text(), 1, null, null, b.id(),
                false, false));

        var critiqueStep = done(StepKind.GENERATION, "iad/r1/critique/0");
        var critique = candidate(3, "iad/r1/critique/0", Role.CRITIQUE, "6*7 is 42, not 43.\nVerdict: incorrect",
                b.id(), null, null, "sim-math");
        var next = iad.decide(state(options, RunState.Budget.UNLIMITED, List.of(scoring, critiqueStep),
                List.of(a, b, c, critique), critiquing), finished(critiqueStep, List.of(critique.id())));
        assertThat(next.getFirst()).isEqualTo(new Action.Remember(
                new IadMemo(1, IadMemo.Phase.REFINING, b.id(), 0, List.of(b.id()))));
        assertThat(next.get(1)).isInstanceOfSatisfying(Action.Generate.class, g -> {
            assertThat(g.role()).isEqualTo(Role.REFINE);
            assertThat(g.n()).isEqualTo(3);
            assertThat(g.prompt()).contains("Reviewer's critique:\n6*7 is 42, not 43.");
        });
    }

    @Test
    void aPlateauOfPatienceRoundsEndsTheLoop() {
        var refined = answer(3, "iad/r2/refine/0", "Answer: 44", Outcome.FAIL, 0.55);
        var scoring = done(StepKind.SCORING, "");
        var stale = new IadMemo(2, IadMemo.Phase.REFINING, b.id(), 1, List.of(b.id()));
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(scoring), List.of(a, b, c, refined),
                stale), finished(scoring, List.of()));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(b.id());
            assertThat(f.reason()).startsWith("plateau: no better answer in the last 2 rounds");
        });
    }

    @Test
    void aBetterAnswerResetsThePatience() {
        var better = answer(3, "iad/r2/refine/0", "Answer: 44", Outcome.FAIL, 0.7);
        var scoring = done(StepKind.SCORING, "");
        var stale = new IadMemo(2, IadMemo.Phase.REFINING, b.id(), 1, List.of(b.id()));
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(scoring), List.of(a, b, c, better),
                stale), finished(scoring, List.of()));
        assertThat(actions.getFirst()).isEqualTo(new Action.Remember(
                new IadMemo(3, IadMemo.Phase.REFINING, better.id(), 0, List.of(better.id(), b.id()))));
    }

    @Test
    void theLastRoundFinishesWithTheBestSoFar() {
        var better = answer(3, "iad/r4/refine/0", "Answer: 44", Outcome.FAIL, 0.7);
        var scoring = done(StepKind.SCORING, "");
        var last = new IadMemo(4, IadMemo.Phase.REFINING, b.id(), 0, List.of(b.id()));
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(scoring), List.of(a, b, better),
                last), finished(scoring, List.of()));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(better.id());
            assertThat(f.reason()).startsWith("best answer after 4 refinement rounds").contains("reward score 0.700");
        });
    }

    @Test
    void whenNoRefinementFitsTheBudgetTheBestSoFarIsTheAnswer() {
        var scoring = done(StepKind.SCORING, "");
        var spent = new RunState.Budget(null, 10L, 0, 10, 0, 0);
        var actions = iad.decide(state(spec("{}"), spent, List.of(scoring), List.of(a, b, c), IadMemo.start()),
                finished(scoring, List.of()));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(b.id());
            assertThat(f.reason()).startsWith("budget: no room for another refinement round");
        });
    }

    @Test
    void refinementsShrinkToWhatTheBudgetCanPayAndScore() {
        var scoring = done(StepKind.SCORING, "");
        var calls = new RunState.Budget(null, 13L, 0, 10, 0, 0); // 3 calls: one refinement and its score, no more
        var scoredOnly = validated(iad, Fixtures.spec("iad", "sim-math", 4, null, "sim-orm", 100, 7), "{}");
        var actions = iad.decide(state(scoredOnly, calls, List.of(scoring), List.of(a, b, c), IadMemo.start()),
                finished(scoring, List.of()));
        assertThat(actions).hasSize(2);
        assertThat(actions.get(1)).isInstanceOfSatisfying(Action.Generate.class, g -> {
            assertThat(g.n()).isEqualTo(1);
            assertThat(g.parent()).isEqualTo(b.id());
        });
        // the verifier judges for free: refinements that cannot also be scored are still worth asking for
        var withVerifier = iad.decide(state(spec("{}"), calls, List.of(scoring), List.of(a, b, c), IadMemo.start()),
                finished(scoring, List.of()));
        assertThat(withVerifier).hasSize(3);
    }

    @Test
    void aRoundZeroWithoutAnswersFails() {
        var gen = failed(StepKind.GENERATION, "iad/r0");
        var actions = iad.decide(state(spec("{}"), RunState.Budget.UNLIMITED, List.of(gen), List.of(), IadMemo.start()),
                new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, "iad/r0", List.of(),
                        new dev.verigen.contracts.JobError("engine_error", "boom", true)));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Fail.class, f -> {
            assertThat(f.code()).isEqualTo("generation_failed");
            assertThat(f.detail()).isEqualTo("engine_error: boom");
        });
    }

    @Test
    void critiquesAndOtherNonAnswersAreNeverVerifiedScoredOrChosen() {
        var critiqueStep = done(StepKind.GENERATION, "iad/r1/critique/0");
        var critique = candidate(3, "iad/r1/critique/0", Role.CRITIQUE, "Verdict: correct", b.id(), Outcome.PASS, 0.99,
                "sim-math");
        var critiquing = new IadMemo(1, IadMemo.Phase.CRITIQUING, b.id(), 0, List.of(b.id()));
        var actions = iad.decide(state(spec("{\"maxRounds\": 1}"), RunState.Budget.UNLIMITED, List.of(critiqueStep),
                List.of(a, b, critique), critiquing), finished(critiqueStep, List.of(critique.id())));
        assertThat(actions).noneMatch(x -> x instanceof Action.Verify || x instanceof Action.Score
                || x instanceof Action.Finish f && f.candidateId().equals(critique.id()));
    }
}
