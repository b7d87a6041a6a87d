package dev.verigen.contracts.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SimulatedAnswers;
import dev.verigen.contracts.suites.SuiteItem;
import java.util.HashSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskTruthTest {

    @Test
    void arithmeticIsWorkedOutFromTheTaskAlone() {
        TaskTruth truth = TaskTruth.of("Compute 17 * 23 + 5 - 4 * 6.");
        assertThat(truth.kind()).isEqualTo(TaskTruth.Kind.ARITHMETIC);
        assertThat(truth.numericAnswer()).isEqualTo(372);
        assertThat(truth.judge("Step 1: ...\nAnswer: 372").correct()).isTrue();
        assertThat(truth.judge("so the answer is 372.0").correct()).isTrue();
        assertThat(truth.judge("Answer: 373").correct()).isFalse();
        assertThat(truth.judge("no number here").correct()).isNull();
    }

    @Test
    void misconceptionsAreDistinctWrongAnswersWithWeightsThatSumToOne() {
        for (var item : BuiltInSuites.simMath(100, 7).items()) {
            TaskTruth truth = TaskTruth.of(item.prompt());
            var answers = new HashSet<String>();
            double weights = 0;
            for (TaskTruth.Misconception m : truth.misconceptions()) {
                assertThat(m.answer()).isNotEqualTo(item.reference());
                assertThat(answers.add(m.answer())).as("distinct").isTrue();
                weights += m.weight();
                assertThat(m.appeal()).isBetween(0.0, 1.0);
                // the slip leads to the stated answer, and the judge recognises it
                var steps = truth.solution().orElseThrow().replay((i, l, op, r, right) ->
                        i == m.slip().step() ? m.slip().result() : right);
                assertThat(String.valueOf(steps.getLast().result())).isEqualTo(m.answer());
                assertThat(truth.judge("Answer: " + m.answer()).misconception()).isEqualTo(m);
            }
            assertThat(truth.misconceptions()).isNotEmpty();
            assertThat(truth.misconceptions().getFirst().appeal()).isEqualTo(1.0);
            assertThat(weights).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void theSameTaskHasTheSameMisconceptionsAndDrawsFollowTheirWeights() {
        String task = "What is 48 + 67 * 3 - 12?";
        assertThat(TaskTruth.of(task).misconceptions()).isEqualTo(TaskTruth.of(new String(task)).misconceptions());
        TaskTruth truth = TaskTruth.of(task);
        var random = new SplittableRandom(3);
        int first = 0;
        for (int i = 0; i < 20_000; i++) {
            first += truth.drawMisconception(random).index() == 0 ? 1 : 0;
        }
        assertThat(first / 20_000.0).isCloseTo(truth.misconceptions().getFirst().weight(), within(0.02));
    }

    @Test
    void suiteItemsAreJudgedByTheirGoldAnswer() {
        SuiteItem item = BuiltInSuites.byName(BuiltInSuites.CODE).orElseThrow().items().getFirst();
        SimulatedAnswers answers = SimulatedAnswers.forSuite(BuiltInSuites.CODE).get(item.id());
        TaskTruth truth = TaskTruth.of(item.prompt());
        assertThat(truth.kind()).isEqualTo(TaskTruth.Kind.SUITE);
        assertThat(truth.judge("Here:\n```python\n" + answers.gold() + "\n```").correct()).isTrue();
        var wrong = truth.judge("```python\n" + answers.wrong().getFirst() + "\n```");
        assertThat(wrong.correct()).isFalse();
        assertThat(wrong.misconception()).isNotNull();
    }

    @Test
    void aTaskNobodyCanReadCannotBeJudged() {
        TaskTruth truth = TaskTruth.of("What is the airspeed velocity of an unladen swallow?");
        assertThat(truth.judgeable()).isFalse();
        assertThat(truth.judge("Answer: " + truth.numericAnswer()).correct()).isNull();
        assertThat(truth.misconceptions()).isNotEmpty();
    }
}
