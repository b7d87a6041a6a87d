package dev.verigen.orchestrator.tenants;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TenantRepository {

    private final JdbcClient jdbc;

    public TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Tenant(String id, String name, Instant createdAt) {
    }

    public boolean exists(String tenant) {
        return jdbc.sql("select exists (select 1 from tenants where id = :id)").param("id", tenant)
                .query(Boolean.class).single();
    }

    /** @return false when a tenant with this id exists already (it is left as it is) */
    public boolean create(String id, String name) {
        return jdbc.sql("insert into tenants (id, name) values (:id, :name) on conflict (id) do nothing")
                .param("id", id).param("name", name).update() == 1;
    }

    public Optional<Tenant> find(String id) {
        return jdbc.sql("select id, name, created_at from tenants where id = :id").param("id", id)
                .query(TenantRepository::row).optional();
    }

    public List<Tenant> list() {
        return jdbc.sql("select id, name, created_at from tenants order by id").query(TenantRepository::row).list();
    }

    private static Tenant row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Tenant(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant());
    }
}
