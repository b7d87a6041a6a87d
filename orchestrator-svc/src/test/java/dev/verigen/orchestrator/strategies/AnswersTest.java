package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Step 1: ok\\nAnswer: 42|42",
            "Answer: 41\\nwait, no.\\nAnswer: 42|42",
            "so 6 * 7 = 42\\n#### 42|42",
            "The final answer is 42.|42",
            "Final answer: 42,|42",
            "Answer: **42**|42",
            "Answer: $42.00$|42",
            "Answer: x = 42|42",
            "Answer: 1,234|1234",
            "Answer: -0.50|-0.5",
            "Answer: −3|-3",
            "Answer: 4e2|400",
            "We get \\boxed{42} so the answer is 41|42",
            "\\boxed{\\frac{1}{2}}|\\frac{1}{2}",
            "I computed 6 * 7 and got 42 in the end|42",
            "Answer: Paris.|paris",
            "Answer:   New   York|new york",
            "The answer is 0.0|0",
    })
    void extractsAndNormalisesTheFinalAnswer(String text, String expected) {
        assertThat(Answers.extract(text.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void spellingsOfTheSameNumberAgree() {
        assertThat(Answers.normalise("42")).isEqualTo(Answers.normalise("42.0"))
                .isEqualTo(Answers.normalise("42,")).isEqualTo(Answers.normalise(" 42.00 "))
                .isEqualTo(Answers.normalise("+42")).isEqualTo("42");
        assertThat(Answers.normalise("42")).isNotEqualTo(Answers.normalise("42.5"));
        assertThat(Answers.normalise("-0")).isEqualTo("0");
    }

    @Test
    void textWithoutAnyAnswerHasNone() {
        assertThat(Answers.extract("I am not sure how to solve this.")).isNull();
        assertThat(Answers.extract("Step x2: the 2nd part")).isNull();
        assertThat(Answers.extract("")).isNull();
        assertThat(Answers.extract(null)).isNull();
        assertThat(Answers.normalise("  ")).isNull();
    }

    @Test
    void theVerifiersExtractionWinsOverTheText() {
        var c = new RunState.Candidate(java.util.UUID.randomUUID(), 0, "Answer: 41", null, "42.0", null);
        assertThat(Answers.of(c)).isEqualTo("42");
        var plain = new RunState.Candidate(java.util.UUID.randomUUID(), 0, "Answer: 41", null, null, null);
        assertThat(Answers.of(plain)).isEqualTo("41");
    }
}
