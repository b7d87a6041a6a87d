package dev.verigen.orchestrator.pipelines;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Saved pipelines, always within one tenant. */
@Repository
public class PipelineRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public PipelineRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return true when the pipeline was created, false when one of that name was replaced */
    public boolean put(String tenant, String name, JsonNode pipeline, String description) {
        // xmax is 0 only for a row this statement inserted: the one atomic way to tell insert from update
        return jdbc.sql("""
                insert into pipelines (tenant_id, name, spec, description)
                values (:tenant, :name, cast(:spec as jsonb), :description)
                on conflict (tenant_id, name) do update
                   set spec = excluded.spec, description = excluded.description, updated_at = now()
                returning (xmax = 0)""")
                .param("tenant", tenant).param("name", name).param("spec", json.writeValueAsString(pipeline))
                .param("description", description)
                .query(Boolean.class).single();
    }

    public Optional<SavedPipeline> find(String tenant, String name) {
        return jdbc.sql("""
                select name, description, spec::text, created_at, updated_at from pipelines
                 where tenant_id = :tenant and name = :name""")
                .param("tenant", tenant).param("name", name).query(this::row).optional();
    }

    public List<SavedPipeline> list(String tenant, int limit) {
        return jdbc.sql("""
                select name, description, spec::text, created_at, updated_at from pipelines
                 where tenant_id = :tenant order by name limit :limit""")
                .param("tenant", tenant).param("limit", limit).query(this::row).list();
    }

    public boolean delete(String tenant, String name) {
        return jdbc.sql("delete from pipelines where tenant_id = :tenant and name = :name")
                .param("tenant", tenant).param("name", name).update() == 1;
    }

    private SavedPipeline row(ResultSet rs, int i) throws SQLException {
        return new SavedPipeline(rs.getString(1), rs.getString(2), json.readTree(rs.getString(3)),
                rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant());
    }
}
