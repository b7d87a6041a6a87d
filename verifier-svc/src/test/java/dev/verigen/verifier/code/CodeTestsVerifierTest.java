package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeTestsVerifierTest {

    static final String PY_TESTS = """
            def test_small():
                assert total([1, 2, 3]) == 6

            def test_empty():
                assert total([]) == 0

            def test_negative():
                assert total([-1, -2]) == -3, "negatives"
            """;

    static final String JS_TESTS = """
            function test_small() {
              assert.strictEqual(total([1, 2, 3]), 6);
            }
            function test_empty() {
              assert.strictEqual(total([]), 0);
            }
            async function test_negative() {
              assert.strictEqual(await Promise.resolve(total([-1, -2])), -3);
            }
            """;

    @TempDir
    Path scratch;
    SandboxFixture box;

    @BeforeAll
    static void sandboxIsInstalled() {
        SandboxFixture.requireSandbox();
    }

    @BeforeEach
    void setUp() {
        box = new SandboxFixture(scratch);
    }

    @AfterEach
    void nothingLeft() {
        box.assertCleanedUp();
    }

    @Test
    void correctPythonSolutionPasses() {
        Verdict v = box.verify("python", """
                Sum the list:
                ```python
                def total(xs):
                    return sum(xs)
                ```
                """, PY_TESTS, null);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).startsWith("3/3 tests passed").contains("test_small, test_empty, test_negative");
        assertThat(v.extracted()).contains("def total(xs)");
    }

    @Test
    void wrongPythonSolutionFailsWithPerTestEvidence() {
        Verdict v = box.verify("python", """
                ```python
                def total(xs):
                    if not xs:
                        raise ValueError("empty list")
                    return sum(abs(x) for x in xs)
                ```""", PY_TESTS, null);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("1/3 tests passed: ")
                .contains("test_empty FAIL: ValueError: empty list at solution.py line 3: raise ValueError(\"empty list\")")
                .contains("test_negative FAIL: AssertionError: negatives at tests.py line 8: assert total([-1, -2]) == -3")
                .contains("passed: test_small");
    }

    @Test
    void jsonCasesAndEntrypointCallsInPython() {
        String tests = """
                [{"name": "snippet", "code": "assert total([2, 2]) == 4"},
                 {"name": "call", "args": [[1, 2]], "expected": 3},
                 {"name": "tuple_is_list", "args": [[5]], "expected": 5}]""";
        assertThat(box.verify("python", "def total(xs):\n    return sum(xs)\n", tests, "total").outcome())
                .isEqualTo(Outcome.PASS);
        Verdict wrong = box.verify("python", "def total(xs):\n    return 3\n", tests, "total");
        assertThat(wrong.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(wrong.evidence()).startsWith("1/3 tests passed")
                .contains("snippet FAIL: AssertionError at test 0 line 1: assert total([2, 2]) == 4")
                .contains("tuple_is_list FAIL: total([5]) returned 3, expected 5");
        Verdict missing = box.verify("python", "def add(xs):\n    return sum(xs)\n", tests, "total");
        assertThat(missing.evidence()).contains("the solution defines no function 'total'");
    }

    @Test
    void anObjectClaimingEqualityDoesNotPassAnExpectedValue() {
        Verdict v = box.verify("python", """
                class Anything:
                    def __eq__(self, other): return True
                def total(xs): return Anything()
                """, "[{\"args\": [[1]], \"expected\": 1}]", "total");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void javascriptCorrectAndWrong() {
        Verdict ok = box.verify("javascript", "```javascript\nconst total = (xs) => xs.reduce((a, b) => a + b, 0);\n```",
                JS_TESTS, null);
        assertThat(ok.outcome()).as(ok.evidence()).isEqualTo(Outcome.PASS);
        assertThat(ok.evidence()).startsWith("3/3 tests passed");

        Verdict wrong = box.verify("javascript", "```js\nfunction total(xs) { return xs.length ? xs.reduce((a, b) => a + Math.abs(b), 0) : undefined; }\n```",
                JS_TESTS, null);
        assertThat(wrong.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(wrong.evidence()).startsWith("1/3 tests passed")
                .contains("test_empty FAIL: AssertionError")
                .contains("tests.js line 5")
                .contains("test_negative FAIL: AssertionError");
    }

    @Test
    void javascriptJsonCasesWithEntrypointAndModuleExports() {
        String tests = """
                [{"name": "pair", "args": [[1, 2]], "expected": [2, 1]},
                 {"name": "obj", "code": "assert.deepStrictEqual(swap([3, 4]), [4, 3]);"}]""";
        Verdict ok = box.verify("javascript", "function swap([a, b]) { return [b, a]; }\nmodule.exports = { swap };\n",
                tests, "swap");
        assertThat(ok.outcome()).as(ok.evidence()).isEqualTo(Outcome.PASS);
        Verdict wrong = box.verify("javascript", "module.exports.swap = (p) => p;\n", tests, "swap");
        assertThat(wrong.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(wrong.evidence()).contains("pair FAIL: swap([1,2]) returned [1,2], expected [2,1]")
                .contains("obj FAIL: AssertionError");
    }

    @Test
    void syntaxErrorFailsEveryTest() {
        Verdict v = box.verify("python", "def total(xs) return 0\n", PY_TESTS, null);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("0/3 tests passed").contains("SyntaxError");
    }

    @Test
    void testsComeFromTheReferenceWhenNoOptionCarriesThem() {
        Verdict v = box.verifier.verify(new CandidateRef(UUID.randomUUID(), "def total(xs): return sum(xs)"), PY_TESTS,
                new VerifierOptions(Map.of()));
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
        Verdict bad = box.verifier.verify(new CandidateRef(UUID.randomUUID(), "x"), "no tests here",
                new VerifierOptions(Map.of()));
        assertThat(bad.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(bad.evidence()).contains("cannot use the reference as tests");
    }

    @Test
    void badOptionsFailTheJob() {
        CandidateRef c = new CandidateRef(UUID.randomUUID(), "x");
        assertThatThrownBy(() -> box.verifier.verify(c, null, new VerifierOptions(Map.of("language", "cobol", "tests", PY_TESTS))))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("python or javascript");
        assertThatThrownBy(() -> box.verifier.verify(c, null, new VerifierOptions(Map.of("tests", "[{]"))))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("option tests");
    }

    @Test
    void missingBubblewrapIsAnErrorThatSaysSo() {
        SandboxProperties p = box.props;
        SandboxProperties noBwrap = new SandboxProperties(p.wallTime(), p.testTimeout(), p.cpuSeconds(), p.memory(),
                p.nodeMemory(), p.nodeHeap(), p.processes(), p.fileSize(), p.tmpSize(), p.outputBytes(), p.outputExcerpt(),
                p.maxTests(), p.maxConcurrent(), p.uid(), p.python(), p.node(), "/nonexistent/bwrap", p.setpriv(),
                p.prlimit(), p.scratchDir(), p.proc(), p.cgroups(), p.sandboxMemory(), p.cpus(), p.workSize());
        Verdict v = new CodeTestsVerifier(noBwrap).verify(new CandidateRef(UUID.randomUUID(), "def total(xs): return 0"),
                PY_TESTS, new VerifierOptions(Map.of()));
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).contains("bubblewrap is not installed").contains("apt-get install -y bubblewrap");
    }
}
