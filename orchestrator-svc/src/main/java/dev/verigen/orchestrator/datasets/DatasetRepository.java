package dev.verigen.orchestrator.datasets;

import dev.verigen.contracts.suites.SuiteItem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class DatasetRepository {

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate named;

    public DatasetRepository(JdbcClient jdbc, org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    public record DatasetRow(UUID id, String name, int items, Instant createdAt) {
    }

    @Transactional
    public DatasetRow create(String tenant, String name, List<SuiteItem> items) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into datasets (id, tenant_id, name, items) values (:id, :tenant, :name, :items)")
                .param("id", id).param("tenant", tenant).param("name", name).param("items", items.size()).update();
        var batch = new org.springframework.jdbc.core.namedparam.MapSqlParameterSource[items.size()];
        for (int i = 0; i < items.size(); i++) {
            SuiteItem item = items.get(i);
            batch[i] = new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                    .addValue("id", id).addValue("ordinal", i).addValue("item", item.id())
                    .addValue("prompt", item.prompt()).addValue("reference", item.reference())
                    .addValue("task", item.task()).addValue("visible", item.visible());
        }
        named.batchUpdate("""
                insert into dataset_items (dataset_id, ordinal, item_id, prompt, reference, task, visible)
                values (:id, :ordinal, :item, :prompt, :reference, :task, :visible)""", batch);
        return find(tenant, id).orElseThrow();
    }

    public Optional<DatasetRow> find(String tenant, UUID id) {
        return jdbc.sql("select id, name, items, created_at from datasets where id = :id and tenant_id = :tenant")
                .param("id", id).param("tenant", tenant).query(DatasetRepository::row).optional();
    }

    public List<DatasetRow> list(String tenant, int limit) {
        return jdbc.sql("""
                select id, name, items, created_at from datasets where tenant_id = :tenant
                order by created_at desc limit :limit""")
                .param("tenant", tenant).param("limit", limit).query(DatasetRepository::row).list();
    }

    public List<SuiteItem> items(UUID dataset) {
        return jdbc.sql("""
                select item_id, prompt, reference, task, visible from dataset_items where dataset_id = :id
                 order by ordinal""")
                .param("id", dataset)
                .query((rs, i) -> new SuiteItem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    private static DatasetRow row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new DatasetRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                rs.getTimestamp(4).toInstant());
    }
}
