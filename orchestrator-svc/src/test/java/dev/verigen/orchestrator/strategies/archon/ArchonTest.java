package dev.verigen.orchestrator.strategies.archon;

import static dev.verigen.orchestrator.strategies.roles.Fixtures.answer;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.candidate;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.done;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.failed;
import static dev.verigen.orchestrator.strategies.roles.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import dev.verigen.orchestrator.strategies.roles.Materials;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArchonTest {

    private static final String TASK = Fixtures.INPUT.prompt();
    private final Archon archon = new Archon();

    private PipelineSpec spec(String options) {
        return Fixtures.validated(archon, Fixtures.spec("archon", "sim-math", 4, "numeric", "sim-orm", 512, 7), options);
    }

    private List<Action> decide(PipelineSpec spec, List<RunState.Step> steps, List<RunState.Candidate> candidates,
                                ArchonMemo memo) {
        RunState.Step last = steps.getLast();
        return archon.decide(state(spec, RunState.Budget.UNLIMITED, steps, candidates, memo),
                new RunEvent.StepFinished(last.id(), last.kind(), last.label(), List.of(), null));
    }

    private static List<UUID> ids(RunState.Candidate... candidates) {
        return java.util.Arrays.stream(candidates).map(RunState.Candidate::id).toList();
    }

    private static Action.Generate generate(String label, Role role, String pool, String prompt, int n, UUID parent) {
        return new Action.Generate(label, role, pool, prompt, n, 0.8, 512, parent, false, false);
    }

    private final RunState.Candidate g0 = answer(0, "archon/L0/gen/0", "Answer: 41", null, null);
    private final RunState.Candidate g1 = answer(1, "archon/L0/gen/0", "Answer: 42", null, null);
    private final RunState.Candidate g2 = answer(2, "archon/L0/gen/1", "Answer: 43", null, null);
    private final String rankFuse = """
            {"layers": [[{"type": "generator", "pool": "sim-math", "samples": 2},
                         {"type": "generator", "pool": "sim-small", "samples": 1, "temperature": 0.3}],
                        [{"type": "ranker", "topK": 2}],
                        [{"type": "fuser"}]]}""";

    @Test
    void anEnsembleLayerAsksEveryPoolForItsSamples() {
        var actions = archon.decide(state(spec(rankFuse), RunState.Budget.UNLIMITED, List.of(), List.of(), null),
                new RunEvent.Started());
        assertThat(actions).containsExactly(new Action.Remember(ArchonMemo.start().running(0, List.of())),
                generate("archon/L0/gen/0", Role.GENERATE, "sim-math", null, 2, null),
                new Action.Generate("archon/L0/gen/1", Role.GENERATE, "sim-small", null, 1, 0.3, 512, null, false, false));
    }

    @Test
    void whenALayersJobsAreInTheNextLayerWorksOnItsOutput() {
        var gen = done(StepKind.GENERATION, "archon/L0/gen/1");
        var actions = decide(spec(rankFuse), List.of(done(StepKind.GENERATION, "archon/L0/gen/0"), gen),
                List.of(g0, g1, g2), ArchonMemo.start().running(0, List.of()));
        var memo = ArchonMemo.start().completed(0, "layer-0", ids(g0, g1, g2), List.of()).running(1, ids(g0, g1, g2));
        assertThat(actions).containsExactly(new Action.Remember(memo), generate("archon/L1/rank", Role.RANK,
                "sim-math", Materials.candidates(TASK, List.of("Answer: 41", "Answer: 42", "Answer: 43"), null), 1, null));
    }

    @Test
    void nothingIsDecidedWhileALayerHasJobsOut() {
        var pending = Fixtures.pending(StepKind.GENERATION, "archon/L0/gen/1");
        var doneGen = done(StepKind.GENERATION, "archon/L0/gen/0");
        assertThat(archon.decide(state(spec(rankFuse), RunState.Budget.UNLIMITED, List.of(doneGen, pending),
                List.of(g0, g1), ArchonMemo.start().running(0, List.of())), new RunEvent.StepFinished(doneGen.id(),
                StepKind.GENERATION, doneGen.label(), ids(g0, g1), null))).isEmpty();
    }

    @Test
    void theRankersOrderPicksTheTopKForTheFuser() {
        var rank = done(StepKind.GENERATION, "archon/L1/rank");
        var ranking = candidate(3, "archon/L1/rank", Role.RANK, "Candidate 3 is right.\nRanking: 3, 1, 2", null, null,
                null, "sim-math");
        var memo = ArchonMemo.start().completed(0, "layer-0", ids(g0, g1, g2), List.of()).running(1, ids(g0, g1, g2));
        var actions = decide(spec(rankFuse), List.of(rank), List.of(g0, g1, g2, ranking), memo);
        assertThat(actions.getFirst()).isEqualTo(new Action.Remember(memo.completed(1, "layer-1", ids(g2, g0), List.of())
                .running(2, ids(g2, g0))));
        assertThat(actions.get(1)).isEqualTo(generate("archon/L2/fuse/0", Role.FUSE, "sim-math",
                Materials.candidates(TASK, List.of("Answer: 43", "Answer: 41"), java.util.Arrays.asList(null, null)), 1,
                null));
    }

    @Test
    void aRankerThatFailsOrTalksJunkKeepsTheOrderItWasGiven() {
        var memo = ArchonMemo.start().completed(0, "layer-0", ids(g0, g1, g2), List.of()).running(1, ids(g0, g1, g2));
        var failedRank = failed(StepKind.GENERATION, "archon/L1/rank");
        assertThat(decide(spec(rankFuse), List.of(failedRank), List.of(g0, g1, g2), memo).getFirst())
                .isEqualTo(new Action.Remember(memo.completed(1, "layer-1", ids(g0, g1), List.of()).running(2, ids(g0, g1))));
        var junk = candidate(3, "archon/L1/rank", Role.RANK, "They are all lovely.", null, null, null, "sim-math");
        assertThat(decide(spec(rankFuse), List.of(done(StepKind.GENERATION, "archon/L1/rank")), List.of(g0, g1, g2, junk),
                memo).getFirst()).isEqualTo(new Action.Remember(memo.completed(1, "layer-1", ids(g0, g1), List.of())
                .running(2, ids(g0, g1))));
    }

    @Test
    void afterTheLastLayerItsCandidatesAreVerifiedScoredAndTheBestIsTheAnswer() {
        var fused = candidate(4, "archon/L2/fuse/0", Role.FUSE, "Answer: 42", null, null, null, "sim-math");
        var memo = ArchonMemo.start().completed(1, "layer-1", ids(g2, g0), List.of()).running(2, ids(g2, g0));
        var actions = decide(spec(rankFuse), List.of(done(StepKind.GENERATION, "archon/L2/fuse/0")),
                List.of(g0, g1, g2, fused), memo);
        var last = memo.completed(2, "layer-2", ids(fused), List.of());
        assertThat(actions).containsExactly(new Action.Remember(last.toFinal()), new Action.Verify(ids(fused)),
                new Action.Score(ids(fused)));

        var judged = candidate(4, "archon/L2/fuse/0", Role.FUSE, "Answer: 42", null, Outcome.PASS, 0.9, "sim-math");
        var finish = decide(spec(rankFuse), List.of(done(StepKind.SCORING, "")), List.of(g0, g1, g2, judged),
                last.toFinal());
        assertThat(finish).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(fused.id());
            assertThat(f.reason()).contains("best of the last layer's 1 candidates (1 verified)");
        });
    }

    @Test
    void withoutJudgementsTheLastLayersOwnOrderDecides() {
        var memo = ArchonMemo.start().completed(0, "layer-0", ids(g0, g1, g2), List.of()).running(1, ids(g0, g1, g2));
        var twoLayers = Fixtures.validated(archon, Fixtures.spec("archon", "sim-math", 4, null, null, 512, 7), """
                {"layers": [[{"type": "generator", "samples": 3}], [{"type": "ranker"}]]}""");
        var ranking = candidate(3, "archon/L1/rank", Role.RANK, "Ranking: 2, 3, 1", null, null, null, "sim-math");
        var actions = decide(twoLayers, List.of(done(StepKind.GENERATION, "archon/L1/rank")), List.of(g0, g1, g2, ranking),
                memo);
        // the last layer's output is remembered before the run ends, for the trace to show
        assertThat(actions.getFirst()).isEqualTo(new Action.Remember(memo.completed(1, "layer-1", ids(g1, g2, g0),
                List.of()).toFinal()));
        assertThat(actions.getLast()).isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.candidateId()).isEqualTo(g1.id()));
        assertThat(actions).hasSize(2);
    }

    @Test
    void aCriticCritiquesEveryCandidateAndTheFuserSeesTheCritiques() {
        var spec = spec("{\"layers\": [[{\"type\": \"generator\", \"samples\": 2}], [{\"type\": \"critic\"}], [{\"type\": \"fuser\", \"samples\": 2}]]}");
        var memo0 = ArchonMemo.start().running(0, List.of());
        var critics = decide(spec, List.of(done(StepKind.GENERATION, "archon/L0/gen/0")), List.of(g0, g1), memo0);
        assertThat(critics).containsExactly(
                new Action.Remember(memo0.completed(0, "layer-0", ids(g0, g1), List.of()).running(1, ids(g0, g1))),
                generate("archon/L1/critic/0", Role.CRITIQUE, "sim-math", Materials.judge(TASK, "Answer: 41"), 1, g0.id()),
                generate("archon/L1/critic/1", Role.CRITIQUE, "sim-math", Materials.judge(TASK, "Answer: 42"), 1, g1.id()));

        var c0 = candidate(2, "archon/L1/critic/0", Role.CRITIQUE, "6*7 is not 41.\nVerdict: incorrect", g0.id(), null,
                null, "sim-math");
        var memo1 = memo0.completed(0, "layer-0", ids(g0, g1), List.of()).running(1, ids(g0, g1));
        var fuse = decide(spec, List.of(done(StepKind.GENERATION, "archon/L1/critic/0"),
                failed(StepKind.GENERATION, "archon/L1/critic/1")), List.of(g0, g1, c0), memo1);
        assertThat(fuse.get(1)).isEqualTo(generate("archon/L2/fuse/0", Role.FUSE, "sim-math", Materials.candidates(TASK,
                List.of("Answer: 41", "Answer: 42"), java.util.Arrays.asList(c0.text(), null)), 2, null));
    }

    @Test
    void theVerifierKeepsWhatTheJudgeCallsCorrectOrEverythingWhenNothingIs() {
        var spec = spec("{\"layers\": [[{\"type\": \"generator\", \"samples\": 3}], [{\"type\": \"verifier\"}], [{\"type\": \"ranker\"}]]}");
        var memo0 = ArchonMemo.start().running(0, List.of());
        var judges = decide(spec, List.of(done(StepKind.GENERATION, "archon/L0/gen/0")), List.of(g0, g1), memo0);
        assertThat(judges.subList(1, judges.size())).containsExactly(
                generate("archon/L1/verify/0", Role.JUDGE, "sim-math", Materials.judge(TASK, "Answer: 41"), 1, g0.id()),
                generate("archon/L1/verify/1", Role.JUDGE, "sim-math", Materials.judge(TASK, "Answer: 42"), 1, g1.id()));

        var memo1 = memo0.completed(0, "layer-0", ids(g0, g1, g2), List.of()).running(1, ids(g0, g1, g2));
        var no = candidate(3, "archon/L1/verify/0", Role.JUDGE, "Verdict: incorrect", g0.id(), null, null, "sim-math");
        var yes = candidate(4, "archon/L1/verify/1", Role.JUDGE, "Verdict: correct", g1.id(), null, null, "sim-math");
        var junk = candidate(5, "archon/L1/verify/2", Role.JUDGE, "hmm", g2.id(), null, null, "sim-math");
        var step = done(StepKind.GENERATION, "archon/L1/verify/2");
        // one candidate left: the ranker has nothing to rank and the run goes straight to verifying it
        assertThat(decide(spec, List.of(step), List.of(g0, g1, g2, no, yes, junk), memo1).getFirst()).isEqualTo(
                new Action.Remember(memo1.completed(1, "layer-1", ids(g1), List.of()).completed(2, "layer-2", ids(g1),
                        List.of()).toFinal()));
        assertThat(decide(spec, List.of(step), List.of(g0, g1, g2, no, junk), memo1).getFirst()).isEqualTo(
                new Action.Remember(memo1.completed(1, "layer-1", ids(g0, g1, g2), List.of())
                        .running(2, ids(g0, g1, g2))));
    }

    @Test
    void theVerifierCanUseTheRunsOwnVerifierInstead() {
        var spec = spec("{\"layers\": [[{\"type\": \"generator\", \"samples\": 3}], [{\"type\": \"verifier\", \"by\": \"verifier\", \"firstK\": 1}]]}");
        var memo0 = ArchonMemo.start().running(0, List.of());
        var h2 = answer(2, "archon/L0/gen/0", "Answer: 43", null, null);
        var verify = decide(spec, List.of(done(StepKind.GENERATION, "archon/L0/gen/0")), List.of(g0, g1, h2), memo0);
        assertThat(verify.get(1)).isEqualTo(new Action.Verify(ids(g0, g1, h2)));

        var p1 = answer(1, "archon/L0/gen/0", "Answer: 42", Outcome.PASS, null);
        var p2 = answer(2, "archon/L0/gen/0", "Answer: 42", Outcome.PASS, null);
        var f0 = answer(0, "archon/L0/gen/0", "Answer: 41", Outcome.FAIL, null);
        var memo1 = memo0.completed(0, "layer-0", ids(f0, p1, p2), List.of()).running(1, ids(f0, p1, p2));
        var last = decide(spec, List.of(done(StepKind.VERIFICATION, "")), List.of(f0, p1, p2), memo1);
        assertThat(last).containsExactly(new Action.Remember(memo1.completed(1, "layer-1", ids(p1), List.of()).toFinal()),
                new Action.Score(ids(p1)));
    }

    @Test
    void unitTestsAreWrittenThenGivenToGeneratorsThenEvaluated() {
        var spec = spec("""
                {"layers": [[{"type": "unit_test_generator", "unitTestCap": 2}], [{"type": "generator", "samples": 3}],
                            [{"type": "unit_test_evaluator", "topK": 2}]]}""");
        var start = archon.decide(state(spec, RunState.Budget.UNLIMITED, List.of(), List.of(), null), new RunEvent.Started());
        assertThat(start.get(1)).isEqualTo(generate("archon/L0/unit-tests", Role.GENERATE, "sim-math",
                Materials.unitTests(TASK, 2), 1, null));

        var tests = candidate(0, "archon/L0/unit-tests", Role.GENERATE, "Test: 6 * 7 = 42\nTest: the answer is even",
                null, null, null, "sim-math");
        var memo0 = ArchonMemo.start().running(0, List.of());
        var gens = decide(spec, List.of(done(StepKind.GENERATION, "archon/L0/unit-tests")), List.of(tests), memo0);
        List<String> written = List.of("6 * 7 = 42", "the answer is even");
        var memo1 = memo0.completed(0, "layer-0", List.of(), written).running(1, List.of());
        assertThat(gens).containsExactly(new Action.Remember(memo1), generate("archon/L1/gen/0", Role.GENERATE,
                "sim-math", Materials.withUnitTests(TASK, written), 3, null));

        var h0 = answer(1, "archon/L1/gen/0", "Answer: 41", null, null);
        var h1 = answer(2, "archon/L1/gen/0", "Answer: 42", null, null);
        var evals = decide(spec, List.of(done(StepKind.GENERATION, "archon/L1/gen/0")), List.of(tests, h0, h1), memo1);
        assertThat(evals).hasSize(3);
        assertThat(evals.get(1)).isEqualTo(generate("archon/L2/unit-eval/0", Role.JUDGE, "sim-math",
                Materials.unitTestEvaluation(TASK, written, "Answer: 41"), 1, h0.id()));

        var memo2 = memo1.completed(1, "layer-1", ids(g0, g1, g2), written).running(2, ids(g0, g1, g2));
        var e0 = candidate(3, "archon/L2/unit-eval/0", Role.JUDGE, "Unit Test #1: [Failed]\nUnit Test #2: [Failed]",
                g0.id(), null, null, "sim-math");
        var e1 = candidate(4, "archon/L2/unit-eval/1", Role.JUDGE, "Verdict: correct", g1.id(), null, null, "sim-math");
        var e2 = candidate(5, "archon/L2/unit-eval/2", Role.JUDGE, "Unit Test #1: [Passed]\nUnit Test #2: [Failed]",
                g2.id(), null, null, "sim-math");
        var ranked = decide(spec, List.of(done(StepKind.GENERATION, "archon/L2/unit-eval/2")),
                List.of(tests, g0, g1, g2, e0, e1, e2), memo2);
        assertThat(ranked.getFirst()).isEqualTo(new Action.Remember(memo2.completed(2, "layer-2", ids(g1, g2), written)
                .toFinal()));
    }

    @Test
    void aFirstLayerTheBudgetCannotPayForFailsTheRun() {
        var actions = archon.decide(state(spec(rankFuse), new RunState.Budget(100L, null, 0, 0, 0, 0), List.of(),
                List.of(), null), new RunEvent.Started());
        assertThat(actions.getLast()).isInstanceOfSatisfying(Action.Fail.class,
                f -> assertThat(f.code()).isEqualTo("budget_exhausted"));
        assertThat(actions).hasSize(2).first().isInstanceOf(Action.Remember.class);
    }

    @Test
    void aLayerTheBudgetCannotPayForPassesItsInputOn() {
        var memo0 = ArchonMemo.start().running(0, List.of());
        var noCalls = new RunState.Budget(null, 3L, 0, 3, 0, 0);
        var last = done(StepKind.GENERATION, "archon/L0/gen/1");
        var actions = archon.decide(state(spec(rankFuse), noCalls, List.of(last), List.of(g0, g1, g2), memo0),
                new RunEvent.StepFinished(last.id(), StepKind.GENERATION, last.label(), List.of(), null));
        // no ranking, no fusion, no scoring: only the free verification of the unranked top 2, then the answer
        var memo = memo0.completed(0, "layer-0", ids(g0, g1, g2), List.of()).completed(1, "layer-1", ids(g0, g1), List.of())
                .completed(2, "layer-2", ids(g0, g1), List.of());
        assertThat(actions).containsExactly(new Action.Remember(memo.toFinal()), new Action.Verify(ids(g0, g1)));
        assertThat(memo.outputs()).isEqualTo(Map.of("layer-0", ids(g0, g1, g2), "layer-1", ids(g0, g1), "layer-2",
                ids(g0, g1)));
    }
}
