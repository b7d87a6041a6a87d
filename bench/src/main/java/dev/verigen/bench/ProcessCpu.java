package dev.verigen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the platform's processes, read from {@code /proc/<pid>/stat} (user + system ticks): each service JVM
 * and Kafka by the pid files {@code ./verigen up} keeps in {@code .verigen/pids}, and PostgreSQL's backends serving
 * the platform's database (their command line names it) summed as one. Wall-clock throughput on a shared 2-core machine
 * moves with the other load; CPU seconds per candidate of each process do not, so they are the figure to compare.
 * Off Linux (no /proc) every snapshot is empty and the report says so.
 */
final class ProcessCpu {

    static final String POSTGRES = "postgres (backends of db verigen)";
    /** USER_HZ: the kernel reports utime and stime in these ticks; 100 on every Linux this runs on. */
    private static final double TICKS_PER_S = 100.0;

    private final Path pids;
    private final String database;
    /**
     * PostgreSQL backends seen so far: pid → {CPU seconds at first sight, CPU seconds at last sight}. A connection
     * pool replaces its connections now and then, so a backend may exit within a round: summing only the backends
     * alive at both ends undercounts (by as much as a whole round once every backend was replaced), so they are
     * sampled every {@link #SAMPLE_MS} ms and each counts what it spent while seen.
     */
    private final Map<Long, double[]> backends = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long SAMPLE_MS = 250;
    private volatile boolean sampled;

    ProcessCpu(Path pids, String database) {
        this.pids = pids;
        this.database = database;
    }

    /** Samples PostgreSQL's backends in the background from now on (a daemon thread). */
    private void startSampling() {
        Thread t = Thread.ofPlatform().daemon().name("pg-backend-cpu").start(() -> {
            while (true) {
                sampleBackends();
                try {
                    Thread.sleep(SAMPLE_MS); // a sampling interval, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * CPU seconds so far per process name; PostgreSQL's backends as one figure that only grows: what every backend
     * seen spent since it was first seen (since its start, for one that started after the first snapshot).
     */
    Map<String, Double> snapshot() {
        if (!sampled) {
            sampled = true;
            sampleBackends();
            startSampling();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return out;
        }
        try (Stream<Path> files = Files.list(pids)) {
            files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().forEach(f -> {
                String name = f.getFileName().toString().replaceFirst("\\.pid$", "");
                try {
                    long pid = Long.parseLong(Files.readString(f).strip());
                    double s = cpuSeconds(pid);
                    if (s >= 0) {
                        out.put(name, s);
                    }
                } catch (IOException | NumberFormatException e) {
                    // a service that is not running has no line
                }
            });
        } catch (IOException e) {
            // no pid folder: the platform was not started by ./verigen up
        }
        sampleBackends();
        double pg = backends.values().stream().mapToDouble(b -> b[1] - b[0]).sum();
        out.put(POSTGRES, pg);
        return out;
    }

    private synchronized void sampleBackends() {
        boolean first = backends.isEmpty();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    // "postgres: <user> <database> <client> <state>"
                    if (cmd.startsWith("postgres: ") && cmd.contains(" " + database + " ")) {
                        double s = cpuSeconds(Long.parseLong(n));
                        if (s >= 0) {
                            double[] seen = backends.computeIfAbsent(Long.parseLong(n),
                                    pid -> new double[]{first ? s : 0, s});
                            if (s < seen[1]) {
                                // the pid was reused by a new backend: keep what the old one spent, count the new
                                // one from its start
                                seen[0] -= seen[1];
                            }
                            seen[1] = s;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to sample
        }
    }

    /** @return user + system CPU seconds of the process, or -1 when it is gone */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) are 12 and 13 after the state field (field 3 = f[0])
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_S;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds each process spent between two snapshots (processes in both). */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, s) -> {
            Double b = before.get(name);
            if (b != null) {
                out.put(name, Math.max(0, s - b));
            }
        });
        return out;
    }
}
