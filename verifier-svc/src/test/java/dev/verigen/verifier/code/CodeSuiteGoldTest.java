package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SimulatedAnswers;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in {@code code} suite against the real {@code code_tests} verifier in the real sandbox: for every item the
 * simulator's correct solution passes the item's reference tests (taken as the job's reference, no options) and
 * every one of its buggy variants fails them. Like the other sandbox tests it fails, never skips, without bubblewrap.
 */
class CodeSuiteGoldTest {

    @TempDir
    Path scratch;
    SandboxFixture box;

    static List<Named<SuiteItem>> named() {
        return items().stream().map(item -> Named.of(item.id(), item)).toList();
    }

    static List<SuiteItem> items() {
        var suite = BuiltInSuites.byName(BuiltInSuites.CODE).orElseThrow();
        assertThat(suite.kind()).isEqualTo(TaskKind.CODE);
        assertThat(suite.kind().verifier()).isEqualTo(CodeTestsVerifier.TYPE);
        return suite.items();
    }

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

    private Verdict check(String candidate, String reference) {
        return box.verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, VerifierOptions.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("named")
    void solutionPassesAndEveryBuggyVariantFails(SuiteItem item) {
        SimulatedAnswers answers = SimulatedAnswers.forSuite(BuiltInSuites.CODE).get(item.id());
        assertThat(answers).as("simulated answers of %s", item.id()).isNotNull();
        int tests = TestSuite.parse(item.reference(), Language.PYTHON, null, 100).cases().size();
        assertThat(tests).as("%s: tests in the reference", item.id()).isGreaterThanOrEqualTo(3);

        Verdict gold = check("Here is the function:\n```python\n" + answers.gold() + "\n```", item.reference());
        assertThat(gold.outcome()).as("%s solution: %s", item.id(), gold.evidence()).isEqualTo(Outcome.PASS);
        assertThat(gold.evidence()).startsWith(tests + "/" + tests + " tests passed");

        for (String wrong : answers.wrong()) {
            Verdict v = check("```python\n" + wrong + "\n```", item.reference());
            assertThat(v.outcome()).as("%s buggy variant:\n%s\n%s", item.id(), wrong, v.evidence()).isEqualTo(Outcome.FAIL);
        }
    }

    @Test
    void everyItemIsChecked() {
        assertThat(items()).hasSize(BuiltInSuites.CODE_SIZE);
        assertThat(SimulatedAnswers.forSuite(BuiltInSuites.CODE).values())
                .hasSize(BuiltInSuites.CODE_SIZE)
                .allSatisfy(a -> assertThat(a.wrong()).hasSizeGreaterThanOrEqualTo(2));
    }
}
