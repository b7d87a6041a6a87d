package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcMountTest {

    private final List<List<String>> probes = new ArrayList<>();

    @Test
    void autoTriesOnceWithAProcMountAndRemembersTheAnswer() {
        ProcMount refused = new ProcMount(ProcMount.Mode.AUTO, command -> {
            probes.add(command);
            return false;
        });

        assertThat(refused.enabled(List.of("bwrap", "--unshare-all"), "/usr/bin/python3")).isFalse();
        assertThat(refused.enabled(List.of("bwrap", "--unshare-all"), "/usr/bin/python3")).isFalse();

        assertThat(probes).hasSize(1);
        assertThat(probes.getFirst()).containsSubsequence("bwrap", "--unshare-all", "--proc", "/proc", "/usr/bin/python3");
    }

    @Test
    void autoMountsWhereTheProbeRuns() {
        assertThat(new ProcMount(ProcMount.Mode.AUTO, command -> true).enabled(List.of("bwrap"), "python3")).isTrue();
    }

    @Test
    void explicitModesNeverProbe() {
        ProcMount.Mode[] modes = {ProcMount.Mode.MOUNT, ProcMount.Mode.NONE};
        for (ProcMount.Mode mode : modes) {
            new ProcMount(mode, command -> {
                probes.add(command);
                return true;
            }).enabled(List.of("bwrap"), "python3");
        }
        assertThat(new ProcMount(ProcMount.Mode.MOUNT, c -> false).enabled(List.of(), "p")).isTrue();
        assertThat(new ProcMount(ProcMount.Mode.NONE, c -> true).enabled(List.of(), "p")).isFalse();
        assertThat(probes).isEmpty();
    }

    @Test
    void onThisHostTheSandboxGetsItsOwnProc() {
        SandboxFixture.requireSandbox();
        SandboxProperties d = SandboxProperties.defaults();
        Sandbox sandbox = new Sandbox(d);
        assertThat(sandbox.command(Language.PYTHON, java.nio.file.Path.of("/tmp/x"))).containsSubsequence("--proc", "/proc");
    }
}
