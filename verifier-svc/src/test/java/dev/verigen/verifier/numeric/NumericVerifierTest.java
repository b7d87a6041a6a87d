package dev.verigen.verifier.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.VerifierProperties;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumericVerifierTest {

    private final NumericVerifier verifier = new NumericVerifier(new AnswerExtractor(), new VerifierProperties(65536, 1e-6));

    private Verdict check(String candidate, String reference, Map<String, String> options) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, new VerifierOptions(options));
    }

    private Verdict check(String candidate, String reference) {
        return check(candidate, reference, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Answer: 42|42", "The answer is 42.|42", "\\boxed{42}|42", "#### 1,234|1234", "so 1234|1,234",
            "Answer: -5|-5", "\\boxed{\\frac{3}{4}}|0.75", "Answer: 3/4|0.75", "Answer: 0.75|3/4",
            "Answer: $42.0$|42", "Answer: 2.0000000001|2", "the total is 50%|50",
    })
    void passes(String candidate, String reference) {
        Verdict v = check(candidate, reference);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Answer: 41|42", "Answer: -42|42", "4 2|42", "Answer: 2.001|2", "Answer: 3/5|0.75",
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 43|42",
    })
    void fails(String candidate, String reference) {
        assertThat(check(candidate, reference).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void evidenceSaysWhatWasComparedWithWhat() {
        Verdict v = check("Work... Answer: 42", "42");
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.extracted()).isEqualTo("42");
        assertThat(v.evidence()).isEqualTo("extracted 42 from 'Answer: 42' (marker); reference 42; |diff| 0 <= 1.0E-6");

        Verdict f = check("Answer: 41", "42");
        assertThat(f.evidence()).contains("extracted 41").contains("reference 42").contains("|diff| 1 > 1.0E-6");
    }

    @Test
    void manyNumbersUseTheLastOne() {
        Verdict v = check("1 2 3 4 5 6 7 8 9 10 then 42", "42");
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).contains("(last_number)");
    }

    @Test
    void noNumberFails() {
        Verdict v = check("I cannot solve this.", "42");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).isEqualTo("no numeric answer found");
    }

    @Test
    void glued42abcIsNoNumber() {
        Verdict v = check("42abc", "42");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("no numeric answer found");
        assertThat(check("Answer: 42abc", "42").outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void nonNumericBoxedAnswerFailsEvenWithNumbersEarlier() {
        Verdict v = check("We had 42 then \\boxed{x^2}", "42");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("no numeric answer found in extracted answer 'x^2'");
    }

    @Test
    void missingOrUnparsableReferenceIsAnError() {
        assertThat(check("Answer: 42", null).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("Answer: 42", " ").outcome()).isEqualTo(Outcome.ERROR);
        Verdict v = check("Answer: 42", "forty-two");
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).contains("reference 'forty-two' is not a number");
    }

    @Test
    void tolerances() {
        assertThat(check("Answer: 3.14", "3.14159", Map.of("tolerance", "0.01")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("Answer: 3.14", "3.14159", Map.of("tolerance", "0.001")).outcome()).isEqualTo(Outcome.FAIL);
        Verdict rel = check("Answer: 1010", "1000", Map.of("relTolerance", "0.01"));
        assertThat(rel.outcome()).isEqualTo(Outcome.PASS);
        assertThat(rel.evidence()).contains("rel 0.01");
        assertThat(check("Answer: 1011", "1000", Map.of("relTolerance", "0.01")).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void percentAsFraction() {
        assertThat(check("Answer: 50%", "0.5", Map.of("percentAsFraction", "true")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("Answer: 50%", "0.5").outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void extractFalseParsesTheWholeCandidate() {
        assertThat(check(" 1,000 ", "1000", Map.of("extract", "false")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("Answer: 1000", "1000", Map.of("extract", "false")).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> check("1", "1", Map.of("tolerance", "-1"))).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> check("1", "1", Map.of("extract", "maybe"))).isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void hugeCandidateAndHugeNumber() {
        String huge = "7 ".repeat(2_500_000) + "Answer: 42"; // 5 MB
        assertThat(check(huge, "42").outcome()).isEqualTo(Outcome.PASS);
        String digits = "9".repeat(5_000_000);
        Verdict v = check(digits, "42");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.extracted().length()).isLessThanOrEqualTo(201);
        assertThat(v.evidence().length()).isLessThan(600);
    }

    @Test
    void invalidSurrogatesAroundTheAnswer() {
        Verdict v = check("\uDC00\uD800 Answer: 42 \uD800", "42");
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
    }
}
