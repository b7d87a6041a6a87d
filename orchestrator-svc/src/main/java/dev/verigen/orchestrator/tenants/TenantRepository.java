package dev.verigen.orchestrator.tenants;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TenantRepository {

    private final JdbcClient jdbc;

    public TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String tenant) {
        return jdbc.sql("select exists (select 1 from tenants where id = :id)").param("id", tenant)
                .query(Boolean.class).single();
    }
}
