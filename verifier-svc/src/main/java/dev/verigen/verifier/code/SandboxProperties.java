package dev.verigen.verifier.code;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and tools of the {@code code_tests} sandbox ({@code verigen.verifier.sandbox.*}).
 *
 * @param wallTime         a whole run (all tests of one candidate); past it the process tree is killed
 * @param testTimeout      one test case, enforced by the harness inside the sandbox
 * @param cpuSeconds       RLIMIT_CPU of every sandboxed process
 * @param memory           RLIMIT_AS of every sandboxed process for Python
 * @param nodeMemory       RLIMIT_AS for JavaScript: node reserves address space at start and needs ~2 GB
 * @param nodeHeap         node's {@code --max-old-space-size}, the real bound of a JavaScript heap
 * @param processes        RLIMIT_NPROC: processes and threads of the sandbox uid, counted machine-wide
 * @param fileSize         RLIMIT_FSIZE: the largest file a test may write, its captured output included
 * @param tmpSize          size of the sandbox's private {@code /tmp} (a tmpfs, counted against RAM)
 * @param outputBytes      how much of the harness's output the JVM reads; more kills the run
 * @param outputExcerpt    how much of one test's stdout/stderr is kept for evidence
 * @param maxTests         most test cases one job may define
 * @param maxConcurrent    sandboxes running at once, each with a uid of its own ({@code uid} … {@code uid + n - 1})
 * @param uid              the first uid (and gid) sandboxes run as, set by setpriv before bwrap
 * @param scratchDir       where scratch directories are made; empty: {@code java.io.tmpdir}
 * @param proc             whether the sandbox gets a fresh {@code /proc}: {@code auto} (if the kernel allows it here;
 *                         container runtimes mask parts of theirs, and the kernel then refuses a new one), {@code mount}
 *                         or {@code none}
 * @param cgroups          which cgroup hierarchy bounds each sandbox as a whole ({@link SandboxCgroups}): {@code auto}
 *                         (v2 where it offers memory and pids, else v1, else none), {@code v2}, {@code v1} or
 *                         {@code none} (per-process rlimits only)
 * @param sandboxMemory    memory of one whole sandbox (every process, and its tmpfs pages); swap refused
 * @param cpus             CPUs one whole sandbox may use (a CFS quota); 0: no quota
 * @param workSize         size of the candidate's {@code /work} (a tmpfs: the sandbox never writes the host's disk)
 */
@Validated
@ConfigurationProperties("verigen.verifier.sandbox")
public record SandboxProperties(
        @DefaultValue("30s") Duration wallTime,
        @DefaultValue("5s") Duration testTimeout,
        @DefaultValue("5") @Min(1) int cpuSeconds,
        @DefaultValue("512MB") DataSize memory,
        @DefaultValue("2GB") DataSize nodeMemory,
        @DefaultValue("256MB") DataSize nodeHeap,
        @DefaultValue("32") @Min(4) int processes,
        @DefaultValue("16MB") DataSize fileSize,
        @DefaultValue("32MB") DataSize tmpSize,
        @DefaultValue("1MB") DataSize outputBytes,
        @DefaultValue("2KB") DataSize outputExcerpt,
        @DefaultValue("100") @Min(1) @Max(1000) int maxTests,
        @DefaultValue("1") @Min(1) int maxConcurrent,
        @DefaultValue("61000") @Min(1) int uid,
        @DefaultValue("/usr/bin/python3") @NotBlank String python,
        @DefaultValue("/usr/bin/node") @NotBlank String node,
        @DefaultValue("/usr/bin/bwrap") @NotBlank String bwrap,
        @DefaultValue("/usr/bin/setpriv") @NotBlank String setpriv,
        @DefaultValue("/usr/bin/prlimit") @NotBlank String prlimit,
        @DefaultValue("") String scratchDir,
        @DefaultValue("auto") ProcMount.Mode proc,
        @DefaultValue("auto") SandboxCgroups.Mode cgroups,
        @DefaultValue("768MB") DataSize sandboxMemory,
        @DefaultValue("1") @jakarta.validation.constraints.PositiveOrZero double cpus,
        @DefaultValue("64MB") DataSize workSize) {

    /** The defaults, for tests and for code that runs without Spring. */
    public static SandboxProperties defaults() {
        return new SandboxProperties(Duration.ofSeconds(30), Duration.ofSeconds(5), 5, DataSize.ofMegabytes(512),
                DataSize.ofGigabytes(2), DataSize.ofMegabytes(256), 32, DataSize.ofMegabytes(16),
                DataSize.ofMegabytes(32), DataSize.ofMegabytes(1), DataSize.ofKilobytes(2), 100, 1, 61000,
                "/usr/bin/python3", "/usr/bin/node", "/usr/bin/bwrap", "/usr/bin/setpriv", "/usr/bin/prlimit", "",
                ProcMount.Mode.AUTO, SandboxCgroups.Mode.AUTO, DataSize.ofMegabytes(768), 1, DataSize.ofMegabytes(64));
    }

    /** As these, with what tests vary: the concurrency, the scratch root, /proc and the whole-sandbox limits. */
    public SandboxProperties with(int concurrent, String scratch, ProcMount.Mode procMode, SandboxCgroups.Mode cgroupMode,
                                  DataSize wholeMemory, DataSize work) {
        return new SandboxProperties(wallTime, testTimeout, cpuSeconds, memory, nodeMemory, nodeHeap, processes, fileSize,
                tmpSize, outputBytes, outputExcerpt, maxTests, concurrent, uid, python, node, bwrap, setpriv, prlimit,
                scratch, procMode, cgroupMode, wholeMemory, cpus, work);
    }

    public SandboxProperties withTimes(Duration wall, Duration test) {
        return new SandboxProperties(wall, test, cpuSeconds, memory, nodeMemory, nodeHeap, processes, fileSize, tmpSize,
                outputBytes, outputExcerpt, maxTests, maxConcurrent, uid, python, node, bwrap, setpriv, prlimit, scratchDir, proc,
                cgroups, sandboxMemory, cpus, workSize);
    }
}
