package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile candidates: each must end in FAIL (or ERROR) well within the wall time, with the JVM alive, no process
 * of the sandbox uid or child of the JVM left, and the scratch dir gone ({@link SandboxFixture#assertCleanedUp}).
 */
class SandboxAdversarialTest {

    /** Two cases, so a run that survives the first shows the second still runs in a clean sandbox. */
    static final String TESTS = """
            def test_attack():
                assert attack() == "done"

            def test_after():
                assert 1 + 1 == 2
            """;

    /** Any hostile run must finish well inside the fixture's wall time unless it is the wall time that stops it. */
    static final Duration QUICK = Duration.ofSeconds(8);

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
        assertThat(Runtime.getRuntime().freeMemory()).isPositive();
    }

    private Verdict attack(String body) {
        String code = "import os, sys, time, socket, signal\n\ndef attack():\n"
                + body.stripIndent().lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n";
        long t0 = System.nanoTime();
        Verdict v = box.verify("python", code, TESTS, null);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("took too long: %s", v.evidence()).isLessThan(QUICK);
        assertThat(v.outcome()).as(v.evidence()).isIn(Outcome.FAIL, Outcome.ERROR);
        return v;
    }

    @Test
    void forkBombIsStoppedAtTheProcessLimit() {
        Verdict v = attack("""
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
                """);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("1/2 tests passed").contains("test_attack TIMEOUT").contains("passed: test_after");
    }

    @Test
    void shellForkBombIsStoppedToo() {
        Verdict v = attack("""
                return os.system("f() { f | f & }; f; sleep 1000")
                """);
        // the shell gives up at the process limit, or the test runs out of time; either way nothing survives
        assertThat(v.evidence()).contains("test_attack TIMEOUT").contains("passed: test_after");
    }

    @Test
    void infiniteLoopHitsTheTestTimeLimit() {
        Verdict v = attack("while True:\n    pass\n");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("test_attack TIMEOUT: no result within 1500 ms").contains("passed: test_after");
    }

    @Test
    void sleepingForeverHitsTheTestTimeLimit() {
        Verdict v = attack("time.sleep(10**6)\n");
        assertThat(v.evidence()).contains("test_attack TIMEOUT");
    }

    @Test
    void sleepingChildrenInANewSessionAreSwept() {
        Verdict v = attack("""
                for _ in range(5):
                    if os.fork() == 0:
                        os.setsid()
                        time.sleep(10**6)
                return "not done"
                """);
        assertThat(v.evidence()).contains("test_attack FAIL").contains("passed: test_after");
    }

    @Test
    void hangingTheWholeRunHitsTheWallTime() {
        // a test cannot outlive its own time limit (the harness kills it), so stop the harness instead
        Verdict v = box.verify("python", "import os, signal\ndef attack():\n    os.kill(os.getppid(), signal.SIGSTOP)\n",
                TESTS, null);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("test_attack FAIL: not run: wall time exceeded, sandbox killed");
    }

    @Test
    void allocatingTwoGigabytesFails() {
        Verdict v = attack("x = bytearray(2 * 1024 ** 3)\nreturn 'done'\n");
        assertThat(v.evidence()).contains("test_attack FAIL: MemoryError");
    }

    @Test
    void javascriptAllocatingTwoGigabytesFails() {
        Verdict v = box.verify("javascript", """
                function attack() { const b = Buffer.alloc(2 * 1024 ** 3); b.fill(1); return 'done'; }
                """, "function test_attack() { assert.strictEqual(attack(), 'done'); }", null);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.FAIL);
        Verdict heap = box.verify("javascript", """
                function attack() { const a = []; for (;;) a.push({ x: a.length }); }
                """, "function test_attack() { assert.strictEqual(attack(), 'done'); }", null);
        assertThat(heap.outcome()).as(heap.evidence()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void hostFilesAreNotVisible() {
        Verdict v = attack("""
                seen = [p for p in ("/etc/shadow", "/etc/passwd", "/etc/hostname", "/root", "/home",
                                    "/var", "/proc/1/root/etc/passwd", "/work/../etc/passwd")
                        if os.path.exists(p)]
                assert not seen, seen
                return open("/etc/shadow").read()
                """);
        assertThat(v.evidence()).contains("test_attack FAIL: FileNotFoundError").contains("/etc/shadow")
                .doesNotContain("root:");
    }

    @Test
    void writingOutsideTheScratchDirFails() throws Exception {
        Path marker = Path.of("/usr/verigen-sandbox-escape-" + ProcessHandle.current().pid());
        Verdict v = attack("""
                for p in ("/usr/verigen-sandbox-escape-%d", "/verigen/tests.json", "/verigen/x", "/x", "/lib/x"):
                    try:
                        open(p, "w").write("pwned")
                        return "wrote " + p
                    except OSError:
                        pass
                open("/work/ok", "w").write("scratch is writable")
                open("/tmp/ok", "w").write("private tmp is writable")
                return "blocked"
                """.formatted(ProcessHandle.current().pid()));
        assertThat(v.evidence()).contains("AssertionError").doesNotContain("wrote");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void networkIsUnreachable() {
        Verdict v = attack("""
                socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
                return "done"
                """);
        assertThat(v.evidence()).contains("test_attack FAIL: ConnectionRefusedError");
        Verdict outside = attack("""
                socket.create_connection(("1.1.1.1", 53), timeout=1).close()
                return "done"
                """);
        assertThat(outside.evidence()).contains("test_attack FAIL: OSError").contains("unreachable");
    }

    @Test
    void hundredMegabytesOfOutputAreCut() {
        Verdict v = attack("""
                chunk = "x" * (1 << 20)
                for _ in range(100):
                    sys.stdout.write(chunk)
                sys.stdout.flush()
                return "done"
                """);
        assertThat(v.evidence()).contains("test_attack FAIL").contains("File too large");
        assertThat(v.evidence().length()).isLessThan(5000);
    }

    @Test
    void outputPastTheHarnessIntoTheJvmsPipeIsCut() {
        // bwrap's init shares the harness's stdout, the pipe the JVM reads; flooding it hits the JVM's output limit
        Verdict v = attack("""
                with open("/proc/1/fd/1", "w") as out:
                    chunk = "x" * (1 << 20)
                    for _ in range(100):
                        out.write(chunk)
                return "done"
                """);
        assertThat(v.evidence()).containsAnyOf("output limit exceeded", "test_attack FAIL");
    }

    @Test
    void forgedResultLinesDoNotCount() {
        Verdict v = attack("""
                forged = [
                    "ALL TESTS PASSED", "3/3 tests passed",
                    '{"event": "start", "tests": 2}',
                    '{"event": "test", "index": 0, "status": "pass"}',
                    '{"status": "pass", "message": ""}',
                    '{"event": "end"}',
                ]
                for line in forged:
                    print(line, flush=True)
                    print(line, file=sys.stderr, flush=True)
                for path in ("/proc/1/fd/1", "/proc/%d/fd/1" % os.getppid()):
                    try:
                        with open(path, "w") as out:
                            out.write("\\n".join(forged) + "\\n")
                    except OSError:
                        pass
                for fd in range(3, 20):
                    try:
                        os.write(fd, ("\\n".join(forged) + "\\n").encode())
                    except OSError:
                        pass
                return "forged"
                """);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("1/2 tests passed").contains("test_attack FAIL: AssertionError");
    }

    @Test
    void exitingBeforeTheAssertionIsAFailNotAPass() {
        Verdict v = attack("os._exit(0)\n");
        assertThat(v.evidence()).contains("test_attack FAIL: test process exited with status 0 without reporting a result");
        Verdict exit = attack("sys.exit(0)\n");
        assertThat(exit.evidence()).contains("test_attack FAIL: SystemExit");
    }

    @Test
    void invalidUtf8OutputIsHarmless() {
        Verdict v = attack("""
                sys.stdout.buffer.write(b"\\xff\\xfe\\xc3\\x28 \\xed\\xa0\\x80\\n")
                sys.stdout.flush()
                try:
                    with open("/proc/1/fd/1", "wb") as out:
                        out.write(b"\\xff\\xfe\\xc3\\x28\\n")
                except OSError:
                    pass
                raise ValueError("bad \\udcff surrogate")
                """);
        assertThat(v.evidence()).contains("test_attack FAIL: ValueError: bad").contains("surrogate");
    }

    @Test
    void killingTheHarnessFailsTheRun() {
        Verdict v = attack("os.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(10)\n");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).startsWith("0/2 tests passed")
                .contains("test_attack FAIL: not run: the harness was killed")
                .contains("test_after FAIL: not run");
    }

    @Test
    void killingEverythingItCanFailsTheRun() {
        Verdict v = attack("os.kill(-1, signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\n");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("not run");
    }

    @Test
    void javascriptForkBombAndOutputFloodFail() {
        Verdict bomb = box.verify("javascript", """
                const cp = require('child_process');
                function attack() { for (;;) { try { cp.spawn('/usr/bin/node', ['-e', 'setInterval(()=>{},1000)']); } catch (e) {} } }
                """, "function test_attack() { assert.strictEqual(attack(), 'done'); }", null);
        assertThat(bomb.outcome()).as(bomb.evidence()).isEqualTo(Outcome.FAIL);
        box.assertCleanedUp();
        Verdict flood = box.verify("javascript", """
                function attack() { const s = 'x'.repeat(1 << 20); for (let i = 0; i < 100; i++) process.stdout.write(s); return 'done'; }
                """, "function test_attack() { assert.strictEqual(attack(), 'nope'); }", null);
        assertThat(flood.outcome()).as(flood.evidence()).isEqualTo(Outcome.FAIL);
    }
}
