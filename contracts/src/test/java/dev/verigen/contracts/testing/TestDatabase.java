package dev.verigen.contracts.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away database on the real PostgreSQL server, created for one test class and dropped after it. The
 * server may be shared and long-lived, so no test relies on what an earlier one left behind.
 * Server and user come from {@code VERIGEN_TEST_PG_URL} / {@code VERIGEN_TEST_PG_USER} (default: local, trust auth).
 */
public final class TestDatabase implements AutoCloseable {

    private static final String SERVER = env("VERIGEN_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = env("VERIGEN_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("VERIGEN_TEST_PG_PASSWORD", "");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create(String purpose) {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String name = "verigen_test_" + purpose.replaceAll("[^a-z0-9]", "") + "_" + HexFormat.of().formatHex(random);
        execute("create database " + name);
        return new TestDatabase(name);
    }

    public String url() {
        return SERVER + name;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        execute("drop database if exists " + name + " with (force)");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for this test (run it through "
                    + "./verigen test, which starts one): " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
