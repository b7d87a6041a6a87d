package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Verdict;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A real sandbox with short limits, and checks that a run left nothing behind. */
final class SandboxFixture {

    static final Duration WALL = Duration.ofSeconds(12);
    static final Duration TEST = Duration.ofMillis(1500);

    final Path scratchRoot;
    final SandboxProperties props;
    final CodeTestsVerifier verifier;
    private final Set<Long> sandboxUidBefore;

    SandboxFixture(Path scratchRoot) {
        this(scratchRoot, ProcMount.Mode.AUTO);
    }

    SandboxFixture(Path scratchRoot, ProcMount.Mode proc) {
        this.scratchRoot = scratchRoot;
        try {
            // bwrap binds the scratch dir as the sandbox uid, which must be able to traverse to it
            Files.setPosixFilePermissions(scratchRoot, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        SandboxProperties d = SandboxProperties.defaults().withTimes(WALL, TEST);
        this.props = d.with(d.maxConcurrent(), scratchRoot.toString(), proc, d.cgroups(), d.sandboxMemory(), d.workSize());
        this.verifier = new CodeTestsVerifier(props);
        this.sandboxUidBefore = processesOf(props.uid());
    }

    /** Fails (never skips) when the machine cannot sandbox: CI installs bubblewrap through ./verigen test. */
    static void requireSandbox() {
        Sandbox s = new Sandbox(SandboxProperties.defaults());
        assertThat(s.unavailable(Language.PYTHON)).as("the code_tests sandbox cannot run on this machine").isNull();
        assertThat(s.unavailable(Language.JAVASCRIPT)).as("the code_tests sandbox cannot run JavaScript here").isNull();
    }

    Verdict verify(String language, String candidate, String tests, String entrypoint) {
        Map<String, String> options = new HashMap<>();
        options.put("language", language);
        options.put("tests", tests);
        if (entrypoint != null) {
            options.put("entrypoint", entrypoint);
        }
        Verdict v = verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), null, new VerifierOptions(options));
        Json.writeString(v); // the verdict must always be encodable on the wire
        return v;
    }

    /** Nothing of the run is left: no process of the sandbox uid, no child of this JVM, no scratch dir. */
    void assertCleanedUp() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Set<Long> now = processesOf(props.uid());
            now.removeAll(sandboxUidBefore);
            assertThat(now).as("processes of uid %d left behind", props.uid()).isEmpty();
            assertThat(ProcessHandle.current().descendants().map(ProcessHandle::info).map(Object::toString).toList())
                    .as("children of the JVM left behind").isEmpty();
        });
        try (Stream<Path> left = Files.list(scratchRoot)) {
            assertThat(left.toList()).as("scratch dirs left behind").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Pids whose real uid is {@code uid}, read from /proc (what pgrep -U does). */
    static Set<Long> processesOf(int uid) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> realUid(p) == uid)
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .collect(Collectors.toCollection(java.util.HashSet::new));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long realUid(Path proc) {
        try {
            List<String> lines = Files.readAllLines(proc.resolve("status"));
            for (String l : lines) {
                if (l.startsWith("Uid:")) {
                    return Long.parseLong(l.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return -1;
    }
}
