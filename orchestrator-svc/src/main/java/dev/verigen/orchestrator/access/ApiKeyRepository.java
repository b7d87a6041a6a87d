package dev.verigen.orchestrator.access;

import dev.verigen.support.access.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_keys} table, which the gateway reads on every request (so a revocation counts at once). */
@Repository
public class ApiKeyRepository {

    private static final String COLUMNS = """
            id, tenant_id, name, scopes, requests_per_minute, burst, max_body_bytes, created_at, revoked_at""";

    private final JdbcClient jdbc;

    public ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a new key is stored as; {@code secretHash} is the SHA-256 of its secret. */
    public record NewRow(String id, String tenant, String name, byte[] secretHash, List<Scope> scopes,
                         int requestsPerMinute, int burst, Long maxBodyBytes) {
    }

    /** Who a key id belongs to, for the bootstrap key's check; only this class and its caller see the hash. */
    public record Owner(String tenant, byte[] secretHash, Instant revokedAt) {
    }

    /** @return false when a key with this id exists already (it is left as it is) */
    public boolean insert(NewRow key) {
        String scopes = String.join(",", key.scopes().stream().map(Scope::wire).toList());
        return jdbc.sql("""
                        insert into api_keys (id, tenant_id, name, secret_hash, scopes, requests_per_minute, burst,
                                              max_body_bytes)
                        values (:id, :tenant, :name, :hash, string_to_array(:scopes, ','), :rpm, :burst, :maxBody)
                        on conflict (id) do nothing""")
                .param("id", key.id()).param("tenant", key.tenant()).param("name", key.name())
                .param("hash", key.secretHash()).param("scopes", scopes).param("rpm", key.requestsPerMinute())
                .param("burst", key.burst()).param("maxBody", key.maxBodyBytes(), java.sql.Types.BIGINT)
                .update() == 1;
    }

    public Optional<ApiKey> find(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where id = :id and tenant_id = :tenant")
                .param("id", id).param("tenant", tenant).query(ApiKeyRepository::row).optional();
    }

    /** Every key of the tenant, revoked ones too, newest first. */
    public List<ApiKey> list(String tenant) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where tenant_id = :tenant order by created_at desc, id")
                .param("tenant", tenant).query(ApiKeyRepository::row).list();
    }

    /**
     * Revokes the key unless it is revoked already, in which case the first revocation's time stands.
     *
     * @return when the key was revoked; empty when the tenant has no such key
     */
    public Optional<Instant> revoke(String tenant, String id) {
        return jdbc.sql("""
                        update api_keys set revoked_at = coalesce(revoked_at, now())
                         where id = :id and tenant_id = :tenant
                        returning revoked_at""")
                .param("id", id).param("tenant", tenant)
                .query((rs, i) -> rs.getTimestamp(1).toInstant()).optional();
    }

    /**
     * Adds {@code scope} to a key that lacks it and is not revoked (the bootstrap key of an older installation, made
     * before the scope existed).
     *
     * @return true when the key was changed
     */
    public boolean grant(String id, Scope scope) {
        return jdbc.sql("""
                        update api_keys set scopes = scopes || :scope::text
                         where id = :id and revoked_at is null and not (:scope::text = any (scopes))""")
                .param("id", id).param("scope", scope.wire()).update() == 1;
    }

    public Optional<Owner> owner(String id) {
        return jdbc.sql("select tenant_id, secret_hash, revoked_at from api_keys where id = :id").param("id", id)
                .query((rs, i) -> new Owner(rs.getString(1), rs.getBytes(2), instant(rs, 3))).optional();
    }

    private static ApiKey row(ResultSet rs, int i) throws SQLException {
        List<String> scopes = Arrays.asList((String[]) rs.getArray("scopes").getArray());
        Long maxBody = rs.getObject("max_body_bytes", Long.class);
        return new ApiKey(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"),
                sortedByScope(scopes), rs.getInt("requests_per_minute"), rs.getInt("burst"),
                maxBody, rs.getTimestamp("created_at").toInstant(), instant(rs, 9));
    }

    // stored in the order they were given; shown in one order, so equal keys look equal
    private static List<String> sortedByScope(List<String> wires) {
        return Arrays.stream(Scope.values()).map(Scope::wire).filter(wires::contains).toList();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        var ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
