package dev.verigen.deploy.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A memory cgroup for one container, so that the JVM inside sees the container's memory limit the way it would under
 * a real runtime (the heap is a share of it). cgroup v2 where this machine has it unified, else v1's memory controller.
 */
final class MemoryCgroup {

    private static final Path V2 = Path.of("/sys/fs/cgroup/cgroup.controllers");
    private static final Path V1 = Path.of("/sys/fs/cgroup/memory");
    /** Keeps the cgroups of two test JVMs on one machine apart (their pods have the same names). */
    private static final String RUN = Long.toString(ProcessHandle.current().pid());

    private final Path dir;

    private MemoryCgroup(Path dir) {
        this.dir = dir;
    }

    /** Whether this machine lets the tests make memory cgroups. */
    static boolean available() {
        return Files.isWritable(V1) || isV2WithMemory();
    }

    static MemoryCgroup create(String name, long limitBytes) {
        try {
            if (isV2WithMemory()) {
                Path dir = Files.createDirectories(Path.of("/sys/fs/cgroup/verigen-tests", RUN + "-" + name));
                Files.writeString(dir.resolve("memory.max"), Long.toString(limitBytes));
                return new MemoryCgroup(dir);
            }
            Path dir = Files.createDirectories(V1.resolve("verigen-tests").resolve(RUN + "-" + name));
            Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
            return new MemoryCgroup(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a memory cgroup for " + name, e);
        }
    }

    Path procs() {
        return dir.resolve("cgroup.procs");
    }

    void delete() {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a process may still be leaving it; the next run of the same name reuses the group
        }
    }

    private static boolean isV2WithMemory() {
        try {
            return Files.isRegularFile(V2) && Files.readString(V2).contains("memory")
                    && Files.isWritable(Path.of("/sys/fs/cgroup"));
        } catch (IOException e) {
            return false;
        }
    }
}
