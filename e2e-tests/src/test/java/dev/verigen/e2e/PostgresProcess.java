package dev.verigen.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the fault suite's own ({@code initdb} and {@code pg_ctl} from
 * {@code /usr/lib/postgresql/<version>/bin}, trust authentication, a free port), so that it can be restarted under load
 * without touching the machine's shared server. As root, the commands run as the {@code postgres} user.
 */
final class PostgresProcess implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;

    PostgresProcess() throws IOException, InterruptedException {
        bin = binaries();
        dir = Files.createTempDirectory("verigen-faults-pg");
        data = dir.resolve("data");
        // in the cluster's own directory: the postgres user may not be able to reach the build's folders
        log = dir.resolve("postgres.log");
        port = freePort();
        if (root()) {
            run("chown", "-R", "postgres", dir.toString());
        }
        run(asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "--no-sync"));
        start();
    }

    /** True where a PostgreSQL server's binaries are installed. */
    static boolean available() {
        try {
            return binaries() != null;
        } catch (IOException e) {
            return false;
        }
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    void createDatabase(String name) throws Exception {
        try (var c = DriverManager.getConnection(url("postgres"), "postgres", "")) {
            c.createStatement().execute("create database " + name);
        }
    }

    /** Stops the server the hard way (immediate: no checkpoint, crash recovery on start) and starts it again. */
    void restart() throws IOException, InterruptedException {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        start();
    }

    private void start() throws IOException, InterruptedException {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off",
                "start"));
    }

    private List<String> asPostgres(String... command) {
        List<String> out = new ArrayList<>();
        if (root()) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(command));
        return out;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0")))).orElse(null);
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        run(List.of(command));
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"));
        } catch (Exception ignored) {
            // already down
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
