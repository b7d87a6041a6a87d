package dev.verigen.verifier.exact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExactVerifierTest {

    private final ExactVerifier verifier = new ExactVerifier(new AnswerExtractor());

    private Verdict check(String candidate, String reference, Map<String, String> options) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, new VerifierOptions(options));
    }

    @Test
    void extractedAnswerEqualsReferenceAfterWhitespaceNormalisation() {
        Verdict v = check("Reasoning...\nThe answer is  New   York", " New York ", Map.of());
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.extracted()).isEqualTo("New York");
        assertThat(v.evidence()).contains("extracted (marker) 'New York'").contains("reference 'New York'").contains("equal");
    }

    @Test
    void caseSensitiveByDefault() {
        assertThat(check("Answer: paris", "Paris", Map.of()).outcome()).isEqualTo(Outcome.FAIL);
        Verdict v = check("Answer: paris", "Paris", Map.of("caseSensitive", "false"));
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).contains("ignoring case");
    }

    @Test
    void extractFalseComparesTheWholeCandidate() {
        assertThat(check("  Paris\n", "Paris", Map.of("extract", "false")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("Answer: Paris", "Paris", Map.of("extract", "false")).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void noMarkerComparesTheWholeCandidate() {
        Verdict v = check("Paris", "Paris", Map.of());
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).startsWith("no answer marker found");
    }

    @Test
    void exactIsNotNumeric() {
        assertThat(check("Answer: 42.0", "42", Map.of()).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{42}", "42", Map.of()).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void composedAndDecomposedAccentsAreEqual() {
        assertThat(check("Answer: caf\u00e9", "cafe\u0301", Map.of()).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void missingReferenceIsAnError() {
        assertThat(check("Answer: x", null, Map.of()).outcome()).isEqualTo(Outcome.ERROR);
    }
}
