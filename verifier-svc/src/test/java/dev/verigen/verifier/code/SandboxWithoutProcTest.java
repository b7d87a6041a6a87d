package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox as it runs inside a container, where the kernel refuses it a /proc of its own: tests still run, and what
 * a candidate leaves running is still swept (the harness then asks the kernel, not /proc, whether anything is left).
 */
class SandboxWithoutProcTest {

    @TempDir
    Path scratch;
    SandboxFixture box;

    @BeforeAll
    static void sandboxIsInstalled() {
        SandboxFixture.requireSandbox();
    }

    @BeforeEach
    void setUp() {
        box = new SandboxFixture(scratch, ProcMount.Mode.NONE);
    }

    @AfterEach
    void nothingLeft() {
        box.assertCleanedUp();
    }

    @Test
    void pythonAndJavascriptSuitesRun() {
        Verdict py = box.verify("python", "def total(xs):\n    return sum(xs)\n", CodeTestsVerifierTest.PY_TESTS, null);
        assertThat(py.outcome()).as(py.evidence()).isEqualTo(Outcome.PASS);
        Verdict js = box.verify("javascript", "function total(xs) { return xs.reduce((a, b) => a + b, 0); }",
                CodeTestsVerifierTest.JS_TESTS, null);
        assertThat(js.outcome()).as(js.evidence()).isEqualTo(Outcome.PASS);
        assertThat(box.props.proc()).isEqualTo(ProcMount.Mode.NONE);
        assertThat(new Sandbox(box.props).command(Language.PYTHON, scratch)).doesNotContain("--proc");
    }

    @Test
    void sleepingChildrenInANewSessionAreStillSwept() {
        String code = """
                import os, time

                def attack():
                    for _ in range(5):
                        if os.fork() == 0:
                            os.setsid()
                            time.sleep(10**6)
                    return "not done"
                """;
        Verdict v = box.verify("python", code, SandboxAdversarialTest.TESTS, null);
        assertThat(v.evidence()).contains("test_attack FAIL").contains("passed: test_after");
    }

    @Test
    void aForkBombIsStillStoppedAtTheProcessLimit() {
        String code = """
                import os

                def attack():
                    while True:
                        try:
                            os.fork()
                        except OSError:
                            pass
                """;
        Verdict v = box.verify("python", code, SandboxAdversarialTest.TESTS, null);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("test_attack TIMEOUT").contains("passed: test_after");
    }
}
