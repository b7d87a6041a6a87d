package dev.verigen.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings the platform database's planner statistics up to date before a measured round ({@code VACUUM ANALYZE}).
 * Where autovacuum is off (this project's CI machines), statistics taken while the tables were nearly empty make the
 * planner scan whole tables once they have grown: a first round on a fresh database measured a fifth of the
 * throughput for that reason alone. Without a database to reach (the platform runs elsewhere) the round runs as is.
 */
final class PlannerStatistics {

    private PlannerStatistics() {
    }

    static void refresh() {
        String url = System.getenv().getOrDefault("VERIGEN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/verigen");
        String user = System.getenv().getOrDefault("VERIGEN_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("VERIGEN_DB_PASSWORD", "");
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("vacuum analyze");
            System.err.printf("planner statistics refreshed (vacuum analyze, %d ms)%n",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            System.err.println("planner statistics not refreshed (" + e.getMessage() + "); measuring as is");
        }
    }
}
