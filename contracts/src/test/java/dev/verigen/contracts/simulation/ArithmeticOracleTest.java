package dev.verigen.contracts.simulation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArithmeticOracleTest {

    private final ArithmeticOracle oracle = new ArithmeticOracle();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "What is 17 + 25?|42",
            "Compute 12 * 7.|84",
            "Q: What is 40 + 96? Answer with just the number.|136",
            "What is 2 + 3 * 4?|14",
            "What is (2 + 3) * 4?|20",
            "Compute 100 - 7 - 3.|90",
            "What is -5 + 3?|-2",
            "What is 6 × 7?|42",
            "Compute ((1 + 2) * (3 + 4) - 5) * 2.|32",
            "Question 3: what is 9 - 12?|-3",
    })
    void solvesArithmeticQuestions(String task, long answer) {
        assertThat(oracle.solve(task)).get().extracting(ArithmeticOracle.Solution::answer).isEqualTo(answer);
    }

    @Test
    void stepsFollowEvaluationOrder() {
        var solution = oracle.solve("Compute (3 + 4) * 5 - 2.").orElseThrow();
        assertThat(solution.steps()).containsExactly(
                new ArithmeticOracle.Step(3, '+', 4, 7),
                new ArithmeticOracle.Step(7, '*', 5, 35),
                new ArithmeticOracle.Step(35, '-', 2, 33));
        assertThat(solution.expression()).isEqualTo("(3 + 4) * 5 - 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "What is the capital of France?",
            "What is 10 / 2?",
            "What is 7?",
            "Explain step-by-step reasoning.",
            "What is (3 + 4?",
            "What is 9223372036854775807 + 1?",
    })
    void doesNotPretendToUnderstandOtherTasks(String task) {
        assertThat(oracle.solve(task)).isEmpty();
    }
}
