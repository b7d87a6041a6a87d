package dev.verigen.reward.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FinalAnswerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Answer: 42|42|true", "so the answer is 42.|42|true", "#### 1,234|1234|true", "we get 42|42.0|true",
            "Answer: 41|42|false", "Answer: 42 then 7|42|false", "no number|42|false", "Answer: Paris.|paris|true",
            "Answer: 1. No wait, answer: 2|2|true", "I answered 7 questions, 42|42|true", "-5|-5|true",
    })
    void matches(String candidate, String reference, boolean expected) {
        assertThat(FinalAnswer.matches(candidate, reference)).isEqualTo(expected);
    }
}
