package dev.verigen.verifier.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MathVerifierTest {

    private final MathVerifier verifier = new MathVerifier(new AnswerExtractor());

    private Verdict check(String candidate, String reference, Map<String, String> options) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, new VerifierOptions(options));
    }

    private Verdict check(String candidate, String reference) {
        return check(candidate, reference, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "so \\boxed{\\frac{1}{2}}|0.5",
            "Answer: 1/2|\\dfrac{1}{2}",
            "\\boxed{\\tfrac12}|0.5",
            "The answer is 12 cm.|12",
            "\\boxed{12\\text{ cm}}|12",
            "\\boxed{5\\mbox{ square units}}|5",
            "Answer: 7 dollars|7",
            "Answer: 3 meters|3",
            "Answer: 2.5 kg|5/2",
            "Answer: $1,234|1234",
            "\\boxed{\\$1{,}234.50}|1234.5",
            "\\boxed{90^\\circ}|90",
            "\\boxed{90^{\\circ}}|90 degrees",
            "\\boxed{\\left(\\frac{3}{4}\\right)}|0.75",
            "\\boxed{2 \\cdot 3}|6",
            "\\boxed{2\\times 10^{3}}|2000",
            "\\boxed{-\\frac{\\sqrt{3}}{2}}|-\\frac{\\sqrt3}{2}",
            "\\boxed{2\\sqrt{2}}|2\\sqrt2",
            "\\boxed{x = 5}|5",
            "\\boxed{\\frac{x+1}{2}}|(x+1)/2",
            "\\boxed{(1, 2)}|(1,2)",
            "\\boxed{\\left(\\frac{1}{2}, 3\\right)}|(0.5, 3)",
            "\\boxed{[0, 1)}|[0,1)",
            "\\boxed{\\text{east}}|east",
            "\\boxed{\\frac{\\frac{1}{2}}{3}}|1/6",
            "\\boxed{50\\%}|50",
            "\\boxed{0.50}|\\frac{1}{2}",
            "Answer: −3|-3",
    })
    void passes(String candidate, String reference) {
        Verdict v = check(candidate, reference);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\\boxed{\\frac{1}{3}}|0.5",
            "\\boxed{0.333}|1/3",
            "Answer: 13 cm|12",
            "\\boxed{2x}|2",
            "\\boxed{\\sqrt{2}}|\\sqrt{3}",
            "\\boxed{(1, 2)}|(2, 1)",
            "\\boxed{(0, 1)}|[0, 1)",
            "\\boxed{(1, 2, 3)}|(1, 2)",
            "\\boxed{1}|(1, 2)",
            "\\boxed{-\\frac12}|\\frac12",
            "\\boxed{west}|east",
            "\\boxed{\\pi}|3.14159",
    })
    void fails(String candidate, String reference) {
        Verdict v = check(candidate, reference);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void percentFollowsTheOption() {
        assertThat(check("\\boxed{50\\%}", "0.5").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{50\\%}", "0.5", Map.of("percentAsFraction", "true")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("\\boxed{50\\%}", "50", Map.of("percentAsFraction", "false")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("Answer: 50 percent", "1/2", Map.of("percentAsFraction", "true")).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void toleranceIsOptIn() {
        assertThat(check("\\boxed{0.3333}", "1/3").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{0.3333}", "1/3", Map.of("tolerance", "0.001")).outcome()).isEqualTo(Outcome.PASS);
        assertThatThrownBy(() -> check("1", "1", Map.of("tolerance", "-1"))).isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void evidenceShowsBothNormalisedForms() {
        Verdict v = check("so \\boxed{\\dfrac{1}{2}}", "0.5");
        assertThat(v.extracted()).isEqualTo("\\dfrac{1}{2}");
        assertThat(v.evidence()).contains("→ 1/2").contains("→ 0.5").contains("equal as numbers (1/2)").contains("(boxed)");
        Verdict f = check("\\boxed{\\sqrt{2}}", "\\sqrt{3}");
        assertThat(f.evidence()).contains("→ \\sqrt{2}").contains("→ \\sqrt{3}").contains("different expressions");
    }

    @Test
    void noAnswerAndNoReference() {
        assertThat(check("I do not know", "5").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{5}", " ").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("\\boxed{5}", null).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("5", "5", Map.of("extract", "false")).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void oddTextDoesNotCrash() {
        String invalidUtf8 = new String(new byte[] {'4', (byte) 0xC3, (byte) 0x28, ' ', '5'}, StandardCharsets.UTF_8);
        assertThat(check("Answer: " + invalidUtf8, "5").outcome()).isIn(Outcome.PASS, Outcome.FAIL);
        Verdict s = check("\\boxed{\uD800 5}", "5");
        assertThat(s.outcome()).isIn(Outcome.PASS, Outcome.FAIL);
        assertThat(s.extracted() + s.evidence()).doesNotContain("\uD800");
        assertThat(check("\\boxed{\uDC00}", "\uD800").outcome()).isIn(Outcome.PASS, Outcome.FAIL, Outcome.ERROR);
        assertThat(check("\\boxed{1/0}", "1/0").outcome()).isEqualTo(Outcome.PASS); // equal as text; not a number
        assertThat(check("\\boxed{1/0}", "1").outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    @Timeout(10)
    void adversarialSizesStayCheap() {
        assertThat(check("\\boxed{" + "(".repeat(5000) + "1" + ")".repeat(5000) + "}", "1").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{" + "(".repeat(500) + "1" + ")".repeat(500) + "}", "1").outcome()).isIn(Outcome.PASS, Outcome.FAIL);
        assertThat(check("\\boxed{10^{100000}}", "1").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{9^9^9^9}", "1").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{" + "\\frac{".repeat(300) + "1" + "}{2}".repeat(300) + "}", "1").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{" + "-".repeat(1500) + "1}", "1").outcome()).isIn(Outcome.PASS, Outcome.FAIL);
        assertThat(check("x ".repeat(2_000_000) + "Answer: 12 cm", "12").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("\\boxed{1" + " 2".repeat(900) + " cm}", "1").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("\\boxed{" + "1,".repeat(500) + "1}", "1").outcome()).isEqualTo(Outcome.FAIL);
    }
}
