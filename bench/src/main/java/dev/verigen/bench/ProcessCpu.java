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

    ProcessCpu(Path pids, String database) {
        this.pids = pids;
        this.database = database;
    }

    /** CPU seconds so far per process name. PostgreSQL backends that exit between snapshots lose their share. */
    Map<String, Double> snapshot() {
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
        double pg = 0;
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
                        pg += Math.max(0, s);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.put(POSTGRES, pg);
        return out;
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
