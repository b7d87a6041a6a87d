package dev.verigen.gateway;

import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A throw-away PostgreSQL database with the orchestrator's schema (its own Flyway migrations, as the gateway never
 * migrates), where tests create tenants and API keys the way the orchestrator's admin API stores them.
 */
final class KeyDatabase implements AutoCloseable {

    static final String MIGRATIONS = "filesystem:../orchestrator-svc/src/main/resources/db/migration";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as its owner holds it. */
    record Key(String id, String token, String tenant) {
        String bearer() {
            return "Bearer " + token;
        }
    }

    private final TestDatabase database;

    private KeyDatabase(TestDatabase database) {
        this.database = database;
    }

    /** A new database, migrated. */
    static KeyDatabase migrated(String purpose) {
        KeyDatabase db = empty(purpose);
        db.migrate();
        return db;
    }

    /** A new database without any table, as before the orchestrator first ran. */
    static KeyDatabase empty(String purpose) {
        return new KeyDatabase(TestDatabase.create(purpose));
    }

    void migrate() {
        Flyway.configure().dataSource(url(), database.user(), database.password()).locations(MIGRATIONS)
                .load().migrate();
    }

    String url() {
        return database.url();
    }

    /** The gateway's datasource settings for this database. */
    Map<String, Object> settings() {
        return Map.of("spring.datasource.url", url(),
                "spring.datasource.username", database.user(),
                "spring.datasource.password", database.password());
    }

    Key createKey(String tenant, int requestsPerMinute, int burst, Long maxBodyBytes, Scope... scopes) {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate(RANDOM);
        String[] wire = Arrays.stream(scopes).map(Scope::wire).toArray(String[]::new);
        try (Connection c = connect()) {
            try (PreparedStatement s = c.prepareStatement(
                    "insert into tenants (id, name) values (?, ?) on conflict (id) do nothing")) {
                s.setString(1, tenant);
                s.setString(2, tenant);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("""
                    insert into api_keys (id, tenant_id, name, secret_hash, scopes, requests_per_minute, burst,
                                          max_body_bytes)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                s.setString(1, key.id());
                s.setString(2, tenant);
                s.setString(3, "test key");
                s.setBytes(4, key.secretHash());
                s.setArray(5, c.createArrayOf("text", wire));
                s.setInt(6, requestsPerMinute);
                s.setInt(7, burst);
                s.setObject(8, maxBodyBytes);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Key(key.id(), key.token(), tenant);
    }

    /** A key with a limit no test reaches and the default body limit. */
    Key createKey(String tenant, Scope... scopes) {
        return createKey(tenant, 100_000, 10_000, null, scopes);
    }

    void revoke(Key key) {
        update("update api_keys set revoked_at = now() where id = ?", key.id());
    }

    void update(String sql, String keyId) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query with the key id as its one parameter; null when no row. */
    String queryOne(String sql, String keyId) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyId);
            try (var rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), database.user(), database.password());
    }

    @Override
    public void close() {
        database.close();
    }
}
