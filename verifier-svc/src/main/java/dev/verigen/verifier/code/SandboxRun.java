package dev.verigen.verifier.code;

import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What one sandbox run produced.
 *
 * @param events         the harness's JSON events, only from lines carrying this run's nonce
 * @param otherOutput    the start of everything else on stdout/stderr (bwrap's own errors, forged lines …)
 * @param exitCode       the sandbox's exit status; null when it was killed by the JVM
 * @param timedOut       the wall time ran out and the process tree was killed
 * @param outputOverflow more than the output limit was written and the process tree was killed
 * @param failure        why the sandbox could not be started at all; null when it started
 * @param memoryPeakBytes the most memory the whole sandbox held (its cgroup's peak; tmpfs pages included); 0 where
 *                        no cgroup bounds the sandbox or the kernel does not say
 */
public record SandboxRun(List<JsonNode> events, String otherOutput, Integer exitCode, boolean timedOut,
                         boolean outputOverflow, Duration elapsed, String failure, long memoryPeakBytes) {

    public SandboxRun {
        events = List.copyOf(events);
    }

    public SandboxRun(List<JsonNode> events, String otherOutput, Integer exitCode, boolean timedOut,
                      boolean outputOverflow, Duration elapsed, String failure) {
        this(events, otherOutput, exitCode, timedOut, outputOverflow, elapsed, failure, 0);
    }

    SandboxRun withMemoryPeak(long bytes) {
        return new SandboxRun(events, otherOutput, exitCode, timedOut, outputOverflow, elapsed, failure, bytes);
    }

    static SandboxRun failed(String why) {
        return new SandboxRun(List.of(), "", null, false, false, Duration.ZERO, why);
    }
}
