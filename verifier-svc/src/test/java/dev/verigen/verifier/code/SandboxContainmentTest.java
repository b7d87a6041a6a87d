package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Limits that hold for the whole sandbox (issue 16): a candidate forking 32 children of 500 MB each and writing 5 GB
 * leaves the host's memory and disk where they were (within a few percent), while another sandbox beside it, as
 * another uid, passes its tests. Per-process limits alone would allow 32 × 1 GB here (the address-space limit is
 * raised for this test so that only the sandbox's cgroup can stop it). Needs a writable cgroup hierarchy with the
 * memory and pids controllers (root on this machine); skipped, saying so, where there is none.
 */
class SandboxContainmentTest {

    private static final DataSize WHOLE = DataSize.ofMegabytes(256);

    private static final String HOSTILE = """
            import os

            def attack():
                children = []
                for _ in range(32):
                    try:
                        pid = os.fork()
                    except OSError:
                        break
                    if pid == 0:
                        try:
                            block = b"\\x01" * (500 << 20)  # written, so every page is really taken
                            os._exit(len(block) % 7)
                        except MemoryError:
                            os._exit(3)
                    children.append(pid)
                written = 0
                chunk = b"x" * (1 << 20)
                for directory in ("/work", "/tmp"):
                    for i in range(320):  # 320 files of 8 MB per directory: 5 GB in all, each file under RLIMIT_FSIZE
                        try:
                            with open(f"{directory}/fill-{i}", "wb") as f:
                                for _ in range(8):
                                    f.write(chunk)
                                    written += len(chunk)
                        except OSError:
                            break
                for pid in children:
                    try:
                        os.waitpid(pid, 0)
                    except OSError:
                        pass
                return written
            """;

    private static final String HOSTILE_TESTS = """
            def test_attack():
                assert attack() >= 5 * 1024 ** 3
            """;

    @TempDir
    Path scratch;

    @Test
    void aCandidateForking32Times500MbAndWriting5GbStaysInsideItsSandbox() throws Exception {
        SandboxFixture.requireSandbox();
        Files.setPosixFilePermissions(scratch, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        SandboxProperties d = SandboxProperties.defaults().withTimes(Duration.ofSeconds(25), Duration.ofSeconds(20));
        SandboxProperties base = d.with(2, scratch.toString(), ProcMount.Mode.AUTO, SandboxCgroups.Mode.AUTO, WHOLE,
                DataSize.ofMegabytes(64));
        // per-process limits that would let 32 processes of 500 MB through: only the cgroup stands in the way
        SandboxProperties props = new SandboxProperties(base.wallTime(), base.testTimeout(), 60,
                DataSize.ofGigabytes(1), base.nodeMemory(), base.nodeHeap(), 64, base.fileSize(), base.tmpSize(),
                base.outputBytes(), base.outputExcerpt(), base.maxTests(), base.maxConcurrent(), base.uid(),
                base.python(), base.node(), base.bwrap(), base.setpriv(), base.prlimit(), base.scratchDir(), base.proc(),
                base.cgroups(), base.sandboxMemory(), base.cpus(), base.workSize());
        Sandbox sandbox = new Sandbox(props);
        assumeTrue(!sandbox.cgroupMode().equals("none"),
                "no writable cgroup hierarchy with memory and pids here: the sandbox has per-process limits only");

        long total = meminfo("MemTotal");
        long availableBefore = meminfo("MemAvailable");
        FileStore disk = Files.getFileStore(scratch);
        long freeBefore = disk.getUsableSpace();
        AtomicLong lowestAvailable = new AtomicLong(availableBefore);
        AtomicLong lowestFree = new AtomicLong(freeBefore);
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (watching.get()) {
                try {
                    lowestAvailable.accumulateAndGet(meminfo("MemAvailable"), Math::min);
                    lowestFree.accumulateAndGet(disk.getUsableSpace(), Math::min);
                    Thread.sleep(50);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });

        CompletableFuture<SandboxRun> hostile = CompletableFuture.supplyAsync(() -> sandbox.run(Language.PYTHON,
                HOSTILE, TestSuite.parse(HOSTILE_TESTS, Language.PYTHON, null, 10)));
        // a well-behaved candidate beside it, in the other slot (another uid, another cgroup), passes meanwhile
        SandboxRun neighbour = sandbox.run(Language.PYTHON, "def add(a, b):\n    return a + b\n",
                TestSuite.parse("def test_add():\n    assert add(2, 3) == 5\n", Language.PYTHON, null, 10));
        SandboxRun attack = hostile.get();
        watching.set(false);
        watcher.join();

        assertThat(neighbour.failure()).isNull();
        assertThat(neighbour.events().toString()).contains("\"status\":\"pass\"");
        assertThat(attack.failure()).isNull();
        assertThat(attack.events().toString()).doesNotContain("\"status\":\"pass\"");
        assertThat(attack.elapsed()).as("stopped well before its wall time").isLessThan(Duration.ofSeconds(25));
        if (attack.memoryPeakBytes() > 0) {
            assertThat(attack.memoryPeakBytes()).as("the whole sandbox's peak").isLessThanOrEqualTo(WHOLE.toBytes());
        }
        double memoryDrop = (availableBefore - lowestAvailable.get()) / (double) total;
        double diskDrop = (freeBefore - lowestFree.get()) / (double) disk.getTotalSpace();
        System.out.printf("containment: host memory drop %.2f%% of %d MB at most, disk drop %.3f%%, sandbox peak %d MB, "
                + "%s%n", 100 * memoryDrop, total >> 20, 100 * diskDrop, attack.memoryPeakBytes() >> 20, attack.elapsed());
        // other programs share this machine: a few percent is the bound, the sandbox's own share is ~1%
        assertThat(memoryDrop).as("host memory taken at most").isLessThan(0.05);
        assertThat(diskDrop).as("host disk taken at most").isLessThan(0.01);
        try (var left = Files.list(scratch)) {
            assertThat(left.toList()).as("scratch left behind").isEmpty();
        }
        assertThat(leftoverGroups()).as("sandbox cgroups left behind").isEmpty();
    }

    private static long meminfo(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no " + key + " in /proc/meminfo");
    }

    private static List<Path> leftoverGroups() throws IOException {
        List<Path> left = new java.util.ArrayList<>();
        for (String controller : List.of("memory", "pids", "unified")) {
            Path root = SandboxCgroups.ROOT.resolve(controller);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (var walk = Files.walk(root, 6)) {
                walk.filter(p -> p.getParent() != null && p.getParent().getFileName() != null
                                 && p.getParent().getFileName().toString().equals("verigen-sandbox")
                                 && p.getFileName().toString().startsWith("verigen-code-"))
                        .forEach(left::add);
            }
        }
        return left;
    }
}
