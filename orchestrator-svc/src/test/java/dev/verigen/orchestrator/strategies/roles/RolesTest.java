package dev.verigen.orchestrator.strategies.roles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolesTest {

    @Test
    void judgeMaterialUsesTheJudgeLayoutTheSimulatorRecognises() {
        assertThat(Materials.judge("What is 6 * 7?", "Answer: 42"))
                .isEqualTo("Task:\nWhat is 6 * 7?\n\nAnswer to judge:\nAnswer: 42");
    }

    @Test
    void refineMaterialCarriesTaskPreviousAnswerAndFeedback() {
        var c = Fixtures.answer(0, "x", "Answer: 41", Verdict.Outcome.FAIL, 0.25);
        c = new RunState.Candidate(c.id(), 0, c.text(), c.verdict(), "41", 0.25);
        String feedback = Materials.feedback(c, "Step 2 is wrong.\nVerdict: incorrect");
        assertThat(feedback).contains("checked and is wrong (its final answer reads as 41)")
                .contains("Reward model score: 0.250").contains("Reviewer's critique:\nStep 2 is wrong.")
                .contains("Find the mistake");
        assertThat(Materials.refine("T", "Answer: 41", feedback))
                .startsWith("Task:\nT\n\nPrevious answer:\nAnswer: 41\n\nFeedback:\nVerifier:");
    }

    @Test
    void feedbackNeverLeaksTheReferenceAndSaysWhenNothingJudged() {
        var unjudged = new RunState.Candidate(java.util.UUID.randomUUID(), 0, "Answer: 1", null, null, null);
        assertThat(Materials.feedback(unjudged, null)).startsWith("No verifier or reward model judged");
        var passed = new RunState.Candidate(java.util.UUID.randomUUID(), 0, "Answer: 42", Verdict.Outcome.PASS, "42", 0.9);
        assertThat(Materials.feedback(passed, null)).contains("is correct").doesNotContain("Find the mistake");
    }

    @Test
    void candidatesAreNumberedFromOneWithTheirCritiques() {
        String m = Materials.candidates("T", List.of("A", "B"), java.util.Arrays.asList(null, "bad"));
        assertThat(m).isEqualTo("Task:\nT\n\nCandidate 1:\nA\n\nCandidate 2:\nB\n\nCritique of candidate 2:\nbad");
    }

    @Test
    void unitTestMaterialsKeepTheTaskFirstAndTheAnswerLast() {
        assertThat(Materials.unitTests("T", 3)).startsWith("Task:\nT\n\n").contains("Write 3 unit tests");
        String eval = Materials.unitTestEvaluation("T", List.of("a", "b"), "ANS");
        assertThat(eval).startsWith("Unit tests:\nUnit Test #1: a\nUnit Test #2: b\n")
                .endsWith("Task:\nT\n\nAnswer to judge:\nANS");
        assertThat(Materials.withUnitTests("T", List.of("a", "b")))
                .isEqualTo("T Your response should pass the following unit tests:\n- a\n- b");
        assertThat(Materials.withUnitTests("T", List.of())).isEqualTo("T");
    }

    @Test
    void rankingParserReadsTheLastRankingLineAndToleratesJunk() {
        assertThat(RankingParser.parse("blah\nRanking: 2, 1, 3", 3).order()).containsExactly(1, 0, 2);
        assertThat(RankingParser.parse("Ranking: 3 > 9 > 3 > 0", 3)).isEqualTo(
                new RankingParser.Ranking(List.of(2, 0, 1), true));
        assertThat(RankingParser.parse("**Ranking:** 2", 3).order()).containsExactly(1, 0, 2);
        assertThat(RankingParser.parse("[2] > [3] > [1]\nbecause...", 3).order()).containsExactly(1, 2, 0);
        assertThat(RankingParser.parse("I cannot decide.", 3)).isEqualTo(
                new RankingParser.Ranking(List.of(0, 1, 2), false));
        assertThat(RankingParser.parse(null, 2).order()).containsExactly(0, 1);
        assertThat(RankingParser.parse("Ranking: 1, 2\nRanking: 2, 1", 2).order()).containsExactly(1, 0);
    }

    @Test
    void verdictsReadTheLastStatedVerdict() {
        assertThat(Verdicts.correct("Verdict: incorrect\n...\nVerdict: **Correct**")).contains(true);
        assertThat(Verdicts.correct("verdict: incorrect")).contains(false);
        assertThat(Verdicts.correct("Looks [Correct] to me")).contains(true);
        assertThat(Verdicts.correct("no idea")).isEmpty();
        assertThat(Verdicts.correct(null)).isEqualTo(Optional.empty());
    }

    @Test
    void unitTestsAreReadFromMarkedLinesListsOrPlainLines() {
        assertThat(UnitTests.parse("Here:\nTest: 6 * 7 = 42\nTest: the answer is an integer\nAnswer: 42", 5))
                .containsExactly("6 * 7 = 42", "the answer is an integer");
        assertThat(UnitTests.parse("1. a\n2) b\n- c\nUnit Test #4: d", 3)).containsExactly("a", "b", "c");
        assertThat(UnitTests.parse("['assert f(1) == 2', \"assert f(0) == 1\"]", 5))
                .containsExactly("assert f(1) == 2", "assert f(0) == 1");
        assertThat(UnitTests.parse("checks a\nchecks b\nVerdict: correct", 5)).containsExactly("checks a", "checks b");
        assertThat(UnitTests.parse("  ", 5)).isEmpty();
    }

    @Test
    void passedTestsAreCountedFromTheEvaluatorsMarks() {
        assertThat(UnitTests.passed("Unit Test #1: [Passed]\nUnit Test #2: [Failed]\nUnit Test #3: passed", 3)).contains(2);
        assertThat(UnitTests.passed("Unit Test #1: [Failed]\nUnit Test #1: [Passed]", 2)).contains(1);
        assertThat(UnitTests.passed("Unit Test #9: [Passed]", 2)).isEmpty();
        assertThat(UnitTests.passed("Verdict: correct", 2)).isEmpty();
    }

    @Test
    void allowanceCountsEveryActionOfOneDecision() {
        long bound = Costs.promptTokensBound("P");
        var allowance = new Allowance(new RunState.Budget(bound + 300, 5L, 0, 0, 0, 0));
        assertThat(allowance.samples("P", 8, 100)).isEqualTo(3);
        assertThat(allowance.generate("P", 2, 100)).isTrue();
        assertThat(allowance.samples("P", 8, 100)).isZero(); // the prompt bound is paid again by a second job
        assertThat(allowance.take(0, 3)).isTrue();
        assertThat(allowance.take(0, 1)).isFalse();
        var unlimited = new Allowance(RunState.Budget.UNLIMITED);
        assertThat(unlimited.samples("P", 64, 100_000)).isEqualTo(64);
        assertThat(unlimited.generate("P", 64, 100_000)).isTrue();
        assertThat(unlimited.samples("P", 64, 100_000)).isEqualTo(64);
    }

    @Test
    void reservingSamplesKeepsRoomToScoreThem() {
        var allowance = new Allowance(new RunState.Budget(null, 6L, 0, 0, 0, 0));
        assertThat(allowance.samplesWithScoring("P", 8, 10, "sim-orm", "P", 40)).isEqualTo(3);
        assertThat(allowance.reserveSamples("P", 2, 10, "sim-orm", "P", 40)).isEqualTo(2);
        assertThat(allowance.reserveSamples("P", 2, 10, "sim-orm", "P", 40)).isEqualTo(1);
        assertThat(allowance.reserveSamples("P", 2, 10, "sim-orm", "P", 40)).isZero();
    }
}
