package dev.verigen.verifier.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.VerifierProperties;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.exact.ExactVerifier;
import dev.verigen.verifier.numeric.NumericVerifier;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompositeVerifierTest {

    /** Always answers {@code outcome}; {@code boom} throws. */
    private record Fixed(String type, Outcome outcome) implements Verifier {
        @Override
        public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
            if (outcome == null) {
                throw new IllegalStateException("kaput");
            }
            return new Verdict(candidate.candidateId(), outcome, type.equals("pass") ? "x" : null, type + " says " + outcome);
        }
    }

    private final AtomicReference<VerifierRegistry> registry = new AtomicReference<>();
    private final CompositeVerifier composite = new CompositeVerifier(registry::get);
    private final CandidateRef candidate = new CandidateRef(UUID.randomUUID(), "The answer is 42");

    CompositeVerifierTest() {
        AnswerExtractor extractor = new AnswerExtractor();
        registry.set(new VerifierRegistry(List.of(composite, new ExactVerifier(extractor),
                new NumericVerifier(extractor, new VerifierProperties(65536, 1e-6)),
                new Fixed("pass", Outcome.PASS), new Fixed("fail", Outcome.FAIL), new Fixed("error", Outcome.ERROR),
                new Fixed("boom", null))));
    }

    private Verdict run(Map<String, String> options) {
        return composite.verify(candidate, "42", new VerifierOptions(options));
    }

    private Outcome outcome(String mode, String children) {
        return run(Map.of("mode", mode, "verifiers", children)).outcome();
    }

    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "all | [\"pass\",\"pass\"]           | PASS",
            "all | [\"pass\",\"fail\"]           | FAIL",
            "all | [\"pass\",\"error\"]          | ERROR",
            "all | [\"error\",\"fail\"]          | FAIL",
            "all | [\"pass\",\"boom\"]           | ERROR",
            "any | [\"fail\",\"pass\"]           | PASS",
            "any | [\"fail\",\"fail\"]           | FAIL",
            "any | [\"fail\",\"error\"]          | ERROR",
            "any | [\"error\",\"pass\"]          | PASS",
            "weighted | [\"pass\",\"fail\"]      | PASS",
            "weighted | [\"pass\",\"fail\",\"fail\"] | FAIL",
            "weighted | [\"pass\",\"pass\",\"error\"] | PASS",
            "weighted | [\"pass\",\"fail\",\"error\"] | ERROR",
            "weighted | [\"fail\",\"fail\",\"error\"] | FAIL",
    })
    void semantics(String mode, String children, Outcome expected) {
        assertThat(outcome(mode, children)).isEqualTo(expected);
    }

    @Test
    void weightsAndThreshold() {
        String children = "[\"pass\",\"fail\",\"error\"]";
        // pass share 3/6 with the error failing, 5/6 with it passing
        assertThat(run(Map.of("mode", "weighted", "verifiers", children, "weights", "[3,1,2]", "threshold", "0.5")).outcome())
                .isEqualTo(Outcome.PASS);
        assertThat(run(Map.of("mode", "weighted", "verifiers", children, "weights", "3, 1, 2", "threshold", "0.9")).outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(run(Map.of("mode", "weighted", "verifiers", children, "weights", "3,1,2", "threshold", "0.6")).outcome())
                .isEqualTo(Outcome.ERROR);
        // a zero-weight child cannot change the outcome, not even by erring
        assertThat(run(Map.of("mode", "weighted", "verifiers", children, "weights", "[1,1,0]", "threshold", "0.5")).outcome())
                .isEqualTo(Outcome.PASS);
        // threshold 1 with equal weights behaves as all; 2 of 3 is exactly 2/3
        assertThat(run(Map.of("mode", "weighted", "verifiers", "[\"pass\",\"pass\",\"fail\"]", "threshold", "1")).outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(run(Map.of("mode", "weighted", "verifiers", "[\"pass\",\"pass\",\"fail\"]",
                "threshold", String.valueOf(2.0 / 3))).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void evidenceListsEveryChildAndExtractedComesFromTheFirstThatHasOne() {
        Verdict v = run(Map.of("verifiers", "[\"fail\", \"pass\", {\"type\": \"numeric\", \"tolerance\": 0.1}]"));
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("all: FAIL").contains("2 pass, 1 fail, 0 error of 3")
                .contains("[0] fail: FAIL (fail says FAIL)", "[1] pass: PASS", "[2] numeric: PASS (extracted 42");
        assertThat(v.extracted()).isEqualTo("x");
        assertThat(v.candidateId()).isEqualTo(candidate.candidateId());
    }

    @Test
    void throwingChildIsAnErrorWithItsReason() {
        Verdict v = run(Map.of("mode", "any", "verifiers", "[\"boom\", \"fail\"]"));
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).contains("[0] boom: ERROR (verifier failed: IllegalStateException: kaput)");
    }

    @Test
    void nestedCompositesAndTheContractsOwnSpecForm() {
        // all( any(fail, pass), {"type": "numeric", "options": {...}} )
        Verdict v = run(Map.of("verifiers", "[{\"type\":\"composite\",\"mode\":\"any\",\"verifiers\":[\"fail\",\"pass\"]},"
                + "{\"type\":\"numeric\",\"options\":{\"tolerance\":\"0.5\"}}]"));
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).contains("[0] composite: PASS (any: PASS");
        // the nested form as a string option, as a pipeline's VerifierSpec would carry it
        Verdict stringly = run(Map.of("mode", "any", "verifiers",
                "[{\"type\":\"composite\",\"verifiers\":\"[\\\"pass\\\",\\\"error\\\"]\"}, \"fail\"]"));
        assertThat(stringly.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void nestingIsBounded() {
        String spec = "[\"pass\"]";
        for (int i = 0; i < CompositeVerifier.MAX_DEPTH - 1; i++) {
            spec = "[{\"type\":\"composite\",\"verifiers\":" + spec + "}]";
        }
        assertThat(run(Map.of("verifiers", spec)).outcome()).isEqualTo(Outcome.PASS);
        String deeper = "[{\"type\":\"composite\",\"verifiers\":" + spec + "}]";
        assertThatThrownBy(() -> run(Map.of("verifiers", deeper))).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("at most " + CompositeVerifier.MAX_DEPTH);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no verifiers             | {}                                                              | verifiers",
            "not JSON                 | {\"verifiers\": \"[pass\"}                                      | verifiers",
            "not an array             | {\"verifiers\": \"{}\"}                                         | verifiers",
            "empty                    | {\"verifiers\": \"[]\"}                                         | verifiers",
            "unknown child            | {\"verifiers\": \"[\\\"pass\\\", \\\"astrology\\\"]\"}          | verifiers[1].type",
            "child without type       | {\"verifiers\": \"[{}]\"}                                       | verifiers[0].type",
            "bad child option         | {\"verifiers\": \"[{\\\"type\\\":\\\"numeric\\\",\\\"tolerance\\\":-1}]\"} | verifiers[0].tolerance",
            "bad mode                 | {\"mode\": \"most\", \"verifiers\": \"[\\\"pass\\\"]\"}         | mode",
            "weights outside weighted | {\"weights\": \"1\", \"verifiers\": \"[\\\"pass\\\"]\"}         | weights",
            "weights count            | {\"mode\": \"weighted\", \"weights\": \"1,2\", \"verifiers\": \"[\\\"pass\\\"]\"} | weights",
            "negative weight          | {\"mode\": \"weighted\", \"weights\": \"-1\", \"verifiers\": \"[\\\"pass\\\"]\"} | weights",
            "all-zero weights         | {\"mode\": \"weighted\", \"weights\": \"0\", \"verifiers\": \"[\\\"pass\\\"]\"} | weights",
            "threshold over 1         | {\"mode\": \"weighted\", \"threshold\": \"1.5\", \"verifiers\": \"[\\\"pass\\\"]\"} | threshold",
    })
    void invalidOptionsNameTheOption(String name, String optionsJson, String option) {
        @SuppressWarnings("unchecked")
        Map<String, String> options = dev.verigen.contracts.Json.read(optionsJson.getBytes(), Map.class);
        assertThatThrownBy(() -> run(options)).isInstanceOfSatisfying(InvalidOptionException.class,
                e -> assertThat(e.option()).isEqualTo(option));
    }

    @Test
    void tooManyChildren() {
        String many = "[" + String.join(",", java.util.Collections.nCopies(CompositeVerifier.MAX_CHILDREN + 1, "\"pass\"")) + "]";
        assertThatThrownBy(() -> run(Map.of("verifiers", many))).isInstanceOf(InvalidOptionException.class);
    }
}
