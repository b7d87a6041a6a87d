package dev.verigen.deploy.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Starts a container without a container engine: the unpacked image as the root file system of a bubblewrap
 * sandbox with its own PID, IPC and UTS namespaces, the image's (or pod's) user — a non-root one through an
 * unprivileged user namespace, root with exactly the capabilities granted —, its environment and only its
 * environment, {@code /proc}, {@code /dev}, a read-only {@code /sys}, the mounts asked for, a memory cgroup and,
 * where asked, a network namespace of its own. What it cannot give: image pulls, seccomp profiles, and cgroup
 * limits other than memory.
 */
public final class LocalContainer implements AutoCloseable {

    private final ContainerSpec spec;
    private final Process process;
    private final MemoryCgroup cgroup;
    private final Path log;

    private LocalContainer(ContainerSpec spec, Process process, MemoryCgroup cgroup, Path log) {
        this.spec = spec;
        this.process = process;
        this.cgroup = cgroup;
        this.log = log;
    }

    public static LocalContainer start(ContainerSpec spec, Path log) {
        createMountPoints(spec);
        MemoryCgroup cgroup = spec.memoryLimit() > 0 ? MemoryCgroup.create(spec.name(), spec.memoryLimit()) : null;
        List<String> argv = argv(spec, cgroup);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            return new LocalContainer(spec, pb.start(), cgroup, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start container " + spec.name(), e);
        }
    }

    /**
     * A runtime makes the mount points a container's mounts need before it makes the root read-only; so does this one,
     * in the unpacked image (as root, once; later containers of the image find them).
     */
    private static void createMountPoints(ContainerSpec spec) {
        try {
            if (spec.hostsFile() != null) {
                Path hosts = spec.rootfs().resolve("etc/hosts");
                if (!Files.exists(hosts)) {
                    Files.createDirectories(hosts.getParent());
                    Files.createFile(hosts);
                }
            }
            for (ContainerSpec.Mount m : spec.mounts()) {
                Path target = spec.rootfs().resolve(m.target().substring(1));
                if (!Files.exists(target)) {
                    if (Files.isDirectory(m.source())) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.createFile(target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mount points of " + spec.name(), e);
        }
    }

    static List<String> argv(ContainerSpec spec, MemoryCgroup cgroup) {
        List<String> argv = new ArrayList<>();
        if (cgroup != null) {
            // join the cgroup before anything of the container runs, so the JVM reads its limit at start
            argv.addAll(List.of("/bin/sh", "-c", "echo $$ > '" + cgroup.procs() + "' && exec \"$@\"", "sh"));
        }
        if (spec.netns() != null) {
            // the network namespace only: "ip netns exec" would also remount /sys, hiding the cgroup the JVM reads
            argv.addAll(List.of("nsenter", "--net=/var/run/netns/" + spec.netns()));
        }
        boolean root = spec.uid() == 0;
        if (!root) {
            argv.addAll(List.of("setpriv", "--reuid=" + spec.uid(), "--regid=" + spec.gid(), "--clear-groups"));
        }
        argv.addAll(List.of("bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--hostname", spec.name()));
        if (!root) {
            argv.add("--unshare-user");
        }
        argv.addAll(List.of(spec.readOnlyRoot() ? "--ro-bind" : "--bind", spec.rootfs().toString(), "/",
                "--proc", "/proc", "--dev", "/dev", "--ro-bind", "/sys", "/sys"));
        if (spec.hostsFile() != null) {
            argv.addAll(List.of("--ro-bind", spec.hostsFile().toString(), "/etc/hosts"));
        }
        for (ContainerSpec.Mount m : spec.mounts()) {
            argv.addAll(List.of(m.readOnly() ? "--ro-bind" : "--bind", m.source().toString(), m.target()));
        }
        argv.addAll(List.of("--chdir", spec.workingDir(), "--clearenv"));
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            argv.addAll(List.of("--setenv", e.getKey(), e.getValue()));
        }
        if (root) {
            argv.addAll(List.of("--cap-drop", "ALL"));
            for (String cap : new TreeSet<>(spec.capabilities())) {
                argv.addAll(List.of("--cap-add", "CAP_" + cap));
            }
        }
        argv.add("--");
        argv.addAll(spec.command());
        return argv;
    }

    public ContainerSpec spec() {
        return spec;
    }

    /** The processes running in the container (below the runtime's own). */
    public java.util.stream.Stream<ProcessHandle> processes() {
        return process.descendants();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, once it exited. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(spec.name() + " still runs after " + seconds + " s; its log ends with:\n" + logTail(40));
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Stops it as a kubelet does: SIGTERM to the container's own processes (bwrap would not pass it on), SIGKILL to
     * whatever is left after the grace period.
     */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.stream().filter(h -> h.children().findAny().isEmpty()).forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        if (cgroup != null) {
            cgroup.delete();
        }
    }

    /** SIGKILL to everything of the container at once, as an OOM kill or a node loss. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
