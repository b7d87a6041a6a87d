package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BeamSearchTest {

    private static final String PRM = "sim-prm:last";
    private static final RunInput INPUT = new RunInput("What is 6 * 7?", "42");

    private static PipelineSpec spec(BeamSearch.Options options, VerifierSpec verifier, String rewardModel) {
        return new PipelineSpec("beam_search", 8, "sim-math", verifier, rewardModel,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60).withOptions(options);
    }

    private static BeamSearch.Options options(int width, int k, int maxSteps, int lookahead) {
        return new BeamSearch.Options(width, k, maxSteps, lookahead, PRM, false);
    }

    private static ScriptedRun run(BeamSearch.Options options) {
        return new ScriptedRun(new BeamSearch(), spec(options, null, null), INPUT);
    }

    private static List<Action.Generate> gens(List<Action> actions) {
        return actions.stream().filter(Action.Generate.class::isInstance).map(Action.Generate.class::cast).toList();
    }

    /** The jobs and verdicts asked for, without the bookkeeping. */
    static List<Action> work(List<Action> actions) {
        return actions.stream().filter(a -> !(a instanceof Action.Remember)).toList();
    }

    private static List<UUID> ids(ScriptedRun run, String label) {
        return run.state().candidates().stream().filter(c -> c.label().equals(label)).map(RunState.Candidate::id)
                .toList();
    }

    private static Action.Generate firstSteps(String label, int n) {
        return new Action.Generate(label, Role.GENERATE, null, null, n, null, null, null, false, true);
    }

    @Test
    void theFirstRoundAsksForBeamWidthTimesExpansionsFirstSteps() {
        var run = run(options(2, 4, 16, 0));
        assertThat(gens(run.start())).containsExactly(firstSteps("r1/g0/b0", 8));
        assertThat(run.memo(BeamSearch.Memo.class).phase()).isEqualTo("EXPANDING");
        assertThat(run.memo(BeamSearch.Memo.class).round()).isEqualTo(1);
    }

    @Test
    void keepsTheBestChildrenOfAllBeamsAndCollectsCompleteOnesUntilEverySlotIsComplete() {
        var run = run(options(2, 2, 16, 0));
        run.start();
        List<Action> scoring = run.generated("r1/g0/b0", "A", "B", "C", "D");
        List<UUID> r1 = ids(run, "r1/g0/b0");
        assertThat(scoring).contains(new Action.Score(r1, PRM));
        // the best two of the four children become the beams, best first, each expanded k = 2 ways
        assertThat(gens(run.scored(Map.of(r1.get(0), 0.2, r1.get(1), 0.9, r1.get(2), 0.5, r1.get(3), 0.7))))
                .containsExactly(Action.Generate.nextStep("r2/g0/b0", r1.get(1), 2),
                        Action.Generate.nextStep("r2/g0/b1", r1.get(3), 2));

        assertThat(run.generated("r2/g0/b0", "x", "Answer: 42")).as("waits for the round's other job").isEmpty();
        run.generated("r2/g0/b1", "y", "z");
        UUID bx = ids(run, "r2/g0/b0").get(0);
        UUID answer = ids(run, "r2/g0/b0").get(1);
        UUID dy = ids(run, "r2/g0/b1").get(0);
        UUID dz = ids(run, "r2/g0/b1").get(1);
        assertThat(run.candidate(answer).complete()).isTrue();
        // the complete child takes a slot for good: one beam is left to expand
        assertThat(gens(run.scored(Map.of(bx, 0.3, answer, 0.95, dy, 0.8, dz, 0.1))))
                .containsExactly(Action.Generate.nextStep("r3/g0/b0", dy, 2));
        assertThat(run.memo(BeamSearch.Memo.class).groups().getFirst().collected()).containsExactly(answer);

        run.generated("r3/g0/b0", "Answer: 41", "w");
        UUID second = ids(run, "r3/g0/b0").get(0);
        List<Action> end = run.scored(Map.of(second, 0.9, ids(run, "r3/g0/b0").get(1), 0.6));
        assertThat(end).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(answer);
            assertThat(f.reason()).contains("every beam complete", "best of 2 complete solutions");
        });
    }

    @Test
    void theAnswerIsVerifiedAndScoredByTheRunsRewardModelAndAPassWins() {
        var run = new ScriptedRun(new BeamSearch(), spec(options(2, 1, 16, 0), VerifierSpec.of("numeric"), "sim-orm"),
                INPUT);
        run.start();
        run.generated("r1/g0/b0", "Answer: 41", "Answer: 42");
        UUID wrong = ids(run, "r1/g0/b0").get(0);
        UUID right = ids(run, "r1/g0/b0").get(1);
        assertThat(work(run.scored(Map.of(wrong, 0.9, right, 0.4))))
                .containsExactly(new Action.Verify(List.of(wrong, right)), new Action.Score(List.of(wrong, right)));
        assertThat(run.scored(Map.of(wrong, 0.9, right, 0.2))).isEmpty();
        assertThat(run.verified(Map.of(wrong, Outcome.FAIL, right, Outcome.PASS))).singleElement()
                .isInstanceOfSatisfying(Action.Finish.class, f -> {
                    assertThat(f.candidateId()).isEqualTo(right);
                    assertThat(f.reason()).contains("verified", "1 of 2");
                });
    }

    @Test
    void atTheStepLimitTheBeamsLeftAreCompletedBestFirst() {
        var run = run(options(2, 1, 1, 0));
        run.start();
        run.generated("r1/g0/b0", "a", "b");
        UUID a = ids(run, "r1/g0/b0").get(0);
        UUID b = ids(run, "r1/g0/b0").get(1);
        assertThat(gens(run.scored(Map.of(a, 0.3, b, 0.8))))
                .containsExactly(Action.Generate.completion("fin/0", b, 1), Action.Generate.completion("fin/1", a, 1));
        assertThat(run.generated("fin/0", "c\nAnswer: 42")).isEmpty();
        UUID done = ids(run, "fin/0").getFirst();
        assertThat(run.candidate(done).text()).isEqualTo("b\nc\nAnswer: 42");
        // the other completion failed: the one that came back is scored (no reward model: by the PRM) and chosen
        assertThat(work(run.failed("fin/1"))).containsExactly(new Action.Score(List.of(done), PRM));
        assertThat(run.scored(Map.of(done, 0.7))).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.reason()).contains("step limit"));
    }

    @Test
    void lookAheadScoresTheGreedyRollOutButKeepsTheUnrolledStep() {
        var run = run(options(1, 2, 16, 1));
        run.start();
        List<Action> rollouts = run.generated("r1/g0/b0", "a", "b");
        UUID a = ids(run, "r1/g0/b0").get(0);
        UUID b = ids(run, "r1/g0/b0").get(1);
        assertThat(gens(rollouts)).containsExactly(
                Action.Generate.nextStep("r1/c0/la1", a, 1).withTemperature(0.0),
                Action.Generate.nextStep("r1/c1/la1", b, 1).withTemperature(0.0));
        run.generated("r1/c0/la1", "a2");
        UUID aTip = ids(run, "r1/c0/la1").getFirst();
        List<Action> score = run.generated("r1/c1/la1", "b2");
        UUID bTip = ids(run, "r1/c1/la1").getFirst();
        assertThat(score).contains(new Action.Score(List.of(aTip, bTip), PRM));
        assertThat(gens(run.scored(Map.of(aTip, 0.2, bTip, 0.9))))
                .containsExactly(Action.Generate.nextStep("r2/g0/b0", b, 2));
    }

    @Test
    void dvtsKeepsTheBestChildOfEachSubtree() {
        var run = new ScriptedRun(new BeamSearch(), spec(new BeamSearch.Options(3, 2, 16, 0, PRM, true), null, null),
                INPUT);
        assertThat(gens(run.start())).containsExactly(firstSteps("r1/g0/b0", 2), firstSteps("r1/g1/b1", 2),
                firstSteps("r1/g2/b2", 2));
        run.generated("r1/g0/b0", "a", "b");
        run.generated("r1/g1/b1", "c", "d");
        run.generated("r1/g2/b2", "e", "f");
        List<UUID> g0 = ids(run, "r1/g0/b0");
        List<UUID> g1 = ids(run, "r1/g1/b1");
        List<UUID> g2 = ids(run, "r1/g2/b2");
        // plain beam search would keep a, b and c; each subtree keeps its own best instead, best subtree first
        assertThat(gens(run.scored(Map.of(g0.get(0), 0.9, g0.get(1), 0.8, g1.get(0), 0.7, g1.get(1), 0.1,
                g2.get(0), 0.2, g2.get(1), 0.3)))).containsExactly(
                Action.Generate.nextStep("r2/g0/b0", g0.get(0), 2),
                Action.Generate.nextStep("r2/g1/b1", g1.get(0), 2),
                Action.Generate.nextStep("r2/g2/b2", g2.get(1), 2));
    }

    @Test
    void asksOnlyForTheFirstStepsTheBudgetCanPayForWithACompletionInReserve() {
        long bound = Costs.promptTokensBound(INPUT.prompt());
        long reserve = bound + 4 * 100 + 100;
        var run = run(options(2, 4, 16, 0));
        run.budget = new RunState.Budget(reserve + bound + 3 * 100 + 50, null, 0, 0, 0, 0);
        assertThat(gens(run.start())).containsExactly(firstSteps("r1/g0/b0", 3));

        var calls = run(options(2, 4, 16, 0));
        calls.budget = new RunState.Budget(null, 1 + 3 + 3L, 0, 0, 0, 0); // reserve, samples, their PRM scores
        assertThat(gens(calls.start())).containsExactly(firstSteps("r1/g0/b0", 3));

        var broke = run(options(2, 4, 16, 0));
        broke.budget = new RunState.Budget(reserve + bound + 50, null, 0, 0, 0, 0);
        assertThat(broke.start()).singleElement().isInstanceOfSatisfying(Action.Fail.class,
                f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
    }

    @Test
    void whenTheBudgetRunsOutTheBestCompleteSolutionSoFarIsTheAnswer() {
        var run = run(options(2, 1, 16, 0));
        run.start();
        run.generated("r1/g0/b0", "Answer: 42", "b");
        UUID done = ids(run, "r1/g0/b0").get(0);
        run.budget = new RunState.Budget(1_000L, null, 990, 0, 0, 0);
        assertThat(run.scored(Map.of(done, 0.9, ids(run, "r1/g0/b0").get(1), 0.5))).singleElement()
                .isInstanceOfSatisfying(Action.Finish.class, f -> {
                    assertThat(f.candidateId()).isEqualTo(done);
                    assertThat(f.reason()).contains("budget ran out");
                });
    }

    @Test
    void withoutACompleteSolutionTheBestPartialIsCompletedIfAffordableElseTheRunFails() {
        var run = run(options(2, 1, 16, 0));
        run.start();
        run.generated("r1/g0/b0", "a", "b");
        UUID a = ids(run, "r1/g0/b0").get(0);
        UUID b = ids(run, "r1/g0/b0").get(1);
        long completion = Costs.generationTokens(INPUT.prompt() + "b\n", 1, 100);
        run.budget = new RunState.Budget(completion, null, 0, 0, 0, 0);
        assertThat(gens(run.scored(Map.of(a, 0.3, b, 0.8)))).containsExactly(Action.Generate.completion("fin/0", b, 1));

        var broke = run(options(2, 1, 16, 0));
        broke.start();
        broke.generated("r1/g0/b0", "a", "b");
        broke.budget = new RunState.Budget(completion - 1, null, 0, 0, 0, 0);
        List<UUID> kids = ids(broke, "r1/g0/b0");
        assertThat(broke.scored(Map.of(kids.get(0), 0.3, kids.get(1), 0.8))).singleElement()
                .isInstanceOfSatisfying(Action.Fail.class, f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
    }

    @Test
    void aRoundThatKeepsProducingNothingEndsWithTheBestSoFarOrFailsTheRun() {
        var run = run(options(2, 1, 16, 0));
        run.start();
        run.generated("r1/g0/b0", "Answer: 42", "b");
        UUID done = ids(run, "r1/g0/b0").get(0);
        UUID b = ids(run, "r1/g0/b0").get(1);
        assertThat(gens(run.scored(Map.of(done, 0.9, b, 0.5))))
                .containsExactly(Action.Generate.nextStep("r2/g0/b0", b, 1));
        // a round whose every job failed is tried twice more with fresh labels, then the search ends
        assertThat(gens(run.failed("r2/g0/b0"))).containsExactly(Action.Generate.nextStep("r3/g0/b0", b, 1));
        assertThat(gens(run.failed("r3/g0/b0"))).containsExactly(Action.Generate.nextStep("r4/g0/b0", b, 1));
        assertThat(run.failed("r4/g0/b0")).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.candidateId()).isEqualTo(done));

        var nothing = run(options(2, 1, 16, 0));
        nothing.start();
        assertThat(gens(nothing.failed("r1/g0/b0"))).containsExactly(firstSteps("r2/g0/b0", 2));
        nothing.failed("r2/g0/b0");
        assertThat(nothing.failed("r3/g0/b0")).singleElement().isInstanceOfSatisfying(Action.Fail.class,
                f -> assertThat(f.code()).isEqualTo("generation_failed"));
    }

    @Test
    void unscoredChildrenRankLastSoAFailedScoringStillLetsTheSearchGoOn() {
        var run = run(options(1, 2, 16, 0));
        run.start();
        run.generated("r1/g0/b0", "a", "b");
        UUID b = ids(run, "r1/g0/b0").get(1);
        assertThat(gens(run.scored(Map.of(b, 0.4)))).containsExactly(Action.Generate.nextStep("r2/g0/b0", b, 2));
    }

    @Test
    void aFailedCompletionIsAskedAgainWhenNothingElseIsComplete() {
        var run = run(options(2, 1, 1, 0));
        run.start();
        run.generated("r1/g0/b0", "a", "b");
        UUID a = ids(run, "r1/g0/b0").get(0);
        UUID b = ids(run, "r1/g0/b0").get(1);
        run.scored(Map.of(a, 0.3, b, 0.8));
        run.failed("fin/0");
        assertThat(gens(run.failed("fin/1"))).containsExactly(Action.Generate.completion("fin/2", b, 1));
        run.generated("fin/2", "Answer: 42");
        UUID done = ids(run, "fin/2").getFirst();
        assertThat(run.scored(Map.of(done, 0.7))).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.candidateId()).isEqualTo(done));
    }
}
