package dev.verigen.verifier.code;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits that hold for a whole sandbox, not per process: every run gets a control group of its own with a memory
 * limit (tmpfs pages the candidate writes count too, and swap is refused), a process limit and a CPU quota, so 32
 * processes of 500 MB each are 32 shares of one limit, not 32 limits. Which hierarchy is used is found at start:
 * <ul>
 * <li>cgroup v2, where the unified hierarchy offers the {@code memory} and {@code pids} controllers to the
 * service's own group (systemd, Kubernetes with cgroup v2 and a delegated subtree);</li>
 * <li>cgroup v1, where the {@code memory} and {@code pids} hierarchies are mounted and writable (this development
 * machine: v1 memory, pids and cpu, and a v2 hierarchy that offers only hugetlb);</li>
 * <li>neither: the sandbox keeps only its per-process rlimits (address space, processes of its uid, CPU seconds,
 * file size) and its sized tmpfs mounts, and says so at start. A host without writable cgroups (an unprivileged
 * container) should give verifier-svc a small memory limit of its own instead: the container's cgroup then bounds
 * every sandbox together.</li>
 * </ul>
 * Groups are made below the service's own group (read from {@code /proc/self/cgroup}), under
 * {@code verigen-sandbox/}, and removed after the run once every process in them is killed.
 */
final class SandboxCgroups {

    private static final Logger log = LoggerFactory.getLogger(SandboxCgroups.class);
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    enum Mode { AUTO, V2, V1, NONE }

    /** One run's group: the files its first process joins through, and the directories to remove afterwards. */
    record Group(List<Path> procs, List<Path> dirs, Path memoryDir, boolean v2) {

        /** The most memory the group held (v1), or 0 where the kernel does not say (v2 before 5.19). */
        long peakBytes() {
            Path f = memoryDir.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
            try {
                return Files.isReadable(f) ? Long.parseLong(Files.readString(f).strip()) : 0;
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }
    }

    private final Mode mode;
    private final List<Path> parents;

    private SandboxCgroups(Mode mode, List<Path> parents) {
        this.mode = mode;
        this.parents = parents;
    }

    static SandboxCgroups detect(Mode wanted) {
        return detect(wanted, ROOT, Path.of("/proc/self/cgroup"));
    }

    static SandboxCgroups detect(Mode wanted, Path root, Path selfCgroup) {
        if (wanted == Mode.NONE) {
            return new SandboxCgroups(Mode.NONE, List.of());
        }
        List<String> self;
        try {
            self = Files.readAllLines(selfCgroup);
        } catch (IOException e) {
            self = List.of();
        }
        if (wanted == Mode.AUTO || wanted == Mode.V2) {
            Optional<Path> v2 = v2Parent(root, self);
            if (v2.isPresent()) {
                log.info("code sandbox: cgroup v2 below {} (memory, pids, cpu per sandbox)", v2.get());
                return new SandboxCgroups(Mode.V2, List.of(v2.get()));
            }
        }
        if (wanted == Mode.AUTO || wanted == Mode.V1) {
            Optional<Path> memory = v1Parent(root, self, "memory");
            Optional<Path> pids = v1Parent(root, self, "pids");
            if (memory.isPresent() && pids.isPresent()) {
                List<Path> parents = new ArrayList<>(List.of(memory.get(), pids.get()));
                v1Parent(root, self, "cpu").ifPresent(parents::add);
                log.info("code sandbox: cgroup v1 below {} (memory, pids{} per sandbox)", parents,
                        parents.size() > 2 ? ", cpu" : "");
                return new SandboxCgroups(Mode.V1, List.copyOf(parents));
            }
        }
        if (wanted != Mode.AUTO) {
            throw new IllegalStateException("verigen.verifier.sandbox.cgroups=" + wanted.name().toLowerCase()
                    + ", but that hierarchy is not mounted and writable here with the memory and pids controllers");
        }
        log.warn("code sandbox: no writable cgroup hierarchy with memory and pids controllers; every sandbox keeps "
                + "only per-process limits (give verifier-svc a container memory limit to bound them together)");
        return new SandboxCgroups(Mode.NONE, List.of());
    }

    Mode mode() {
        return mode;
    }

    boolean enabled() {
        return mode != Mode.NONE;
    }

    private static Optional<Path> v2Parent(Path root, List<String> self) {
        Path unified = Files.exists(root.resolve("cgroup.controllers")) ? root
                : Files.exists(root.resolve("unified/cgroup.controllers")) ? root.resolve("unified") : null;
        if (unified == null) {
            return Optional.empty();
        }
        String own = self.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse("/");
        Path mine = unified.resolve(own.substring(1));
        Path parent = mine.resolve("verigen-sandbox");
        try {
            String controllers = Files.readString(mine.resolve("cgroup.controllers"));
            if (!controllers.contains("memory") || !controllers.contains("pids")) {
                return Optional.empty();
            }
            // a group with processes cannot hand controllers to children (no internal processes): ours must be a
            // leaf we leave, or the service must run in a delegated subtree; try, and give up cleanly if refused
            Files.createDirectories(parent);
            Files.writeString(mine.resolve("cgroup.subtree_control"), "+memory +pids"
                    + (controllers.contains("cpu") ? " +cpu" : ""));
            Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory +pids"
                    + (controllers.contains("cpu") ? " +cpu" : ""));
            return Optional.of(parent);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> v1Parent(Path root, List<String> self, String controller) {
        Path hierarchy = root.resolve(controller);
        if (!Files.exists(hierarchy.resolve("cgroup.procs"))) {
            return Optional.empty();
        }
        String own = self.stream().map(l -> l.split(":", 3)).filter(p -> p.length == 3)
                .filter(p -> List.of(p[1].split(",")).contains(controller)).map(p -> p[2]).findFirst().orElse("/");
        Path parent = hierarchy.resolve(own.substring(1)).resolve("verigen-sandbox");
        try {
            Files.createDirectories(parent);
            Path probe = Files.createDirectories(parent.resolve("probe-" + ProcessHandle.current().pid()));
            Files.delete(probe);
            return Optional.of(parent);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes a group for one run.
     *
     * @param name     unique among running sandboxes
     * @param cpuQuota CPUs the whole sandbox may use (0: no quota)
     */
    Group create(String name, long memoryBytes, int pids, double cpuQuota) throws IOException {
        if (mode == Mode.V2) {
            Path dir = Files.createDirectory(parents.getFirst().resolve(name));
            write(dir.resolve("memory.max"), Long.toString(memoryBytes));
            writeIfPresent(dir.resolve("memory.swap.max"), "0");
            write(dir.resolve("pids.max"), Integer.toString(pids));
            if (cpuQuota > 0) {
                writeIfPresent(dir.resolve("cpu.max"), Math.round(cpuQuota * 100_000) + " 100000");
            }
            return new Group(List.of(dir.resolve("cgroup.procs")), List.of(dir), dir, true);
        }
        List<Path> dirs = new ArrayList<>();
        for (Path parent : parents) {
            dirs.add(Files.createDirectory(parent.resolve(name)));
        }
        Path memory = dirs.get(0);
        write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
        // no swap beyond the limit where the kernel accounts it
        writeIfPresent(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryBytes));
        writeIfPresent(memory.resolve("memory.swappiness"), "0");
        write(dirs.get(1).resolve("pids.max"), Integer.toString(pids));
        if (dirs.size() > 2 && cpuQuota > 0) {
            writeIfPresent(dirs.get(2).resolve("cpu.cfs_period_us"), "100000");
            writeIfPresent(dirs.get(2).resolve("cpu.cfs_quota_us"), Long.toString(Math.round(cpuQuota * 100_000)));
        }
        return new Group(dirs.stream().map(d -> d.resolve("cgroup.procs")).toList(), List.copyOf(dirs), memory, false);
    }

    /** Kills whatever is still in the group and removes it. */
    void destroy(Group group) {
        for (int round = 0; round < 50; round++) {
            List<Long> left = new ArrayList<>();
            for (Path procs : group.procs()) {
                try {
                    for (String line : Files.readAllLines(procs)) {
                        if (!line.isBlank()) {
                            left.add(Long.parseLong(line.strip()));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // removed already
                }
            }
            if (left.isEmpty()) {
                break;
            }
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                TimeUnit.MILLISECONDS.sleep(20); // the kernel reaps asynchronously; nothing else to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Path dir : group.dirs()) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                log.warn("could not remove sandbox cgroup {}: {}", dir, e.toString());
            }
        }
    }

    /** The shell line a sandbox starts with: it joins the group, then becomes the sandbox (exec). */
    static String joinScript(Group group) {
        StringBuilder script = new StringBuilder();
        for (Path procs : group.procs()) {
            // our own paths: [a-z0-9/-] only, nothing to quote
            script.append("echo $$ > ").append(procs).append(" || exit 125; ");
        }
        return script.append("exec \"$@\"").toString();
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    private static void writeIfPresent(Path file, String value) {
        if (Files.exists(file)) {
            try {
                write(file, value);
            } catch (IOException e) {
                log.debug("could not set {}: {}", file, e.toString());
            }
        }
    }
}
