package dev.verigen.orchestrator.experiments;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.experiments.metrics.GradedRun;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ExperimentRepository {

    private static final String COLUMNS = "id, name, status, spec, items, error, created_at, finished_at, dataset";

    private final JdbcClient jdbc;

    public ExperimentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public enum Status { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    public record ExperimentRow(UUID id, String name, Status status, ExperimentSpec spec, List<SuiteItem> items,
                                String error, Instant createdAt, Instant finishedAt, String dataset) {
    }

    /** A cell and the state of the run serving it. */
    public record Cell(String arm, long seed, String itemId, String tag, UUID runId, String runStatus,
                       boolean graded) {

        public CellKey key() {
            return new CellKey(arm, seed, itemId, tag);
        }
    }

    public record CellKey(String arm, long seed, String itemId, String tag) {
    }

    public void insert(UUID id, String tenant, ExperimentSpec spec, List<SuiteItem> items) {
        jdbc.sql("""
                insert into experiments (id, tenant_id, name, status, spec, dataset, items)
                values (:id, :tenant, :name, 'RUNNING', :spec::jsonb, :dataset, :items::jsonb)""")
                .param("id", id).param("tenant", tenant).param("name", spec.name())
                .param("spec", Json.writeString(spec)).param("dataset", spec.dataset())
                .param("items", Json.writeString(items)).update();
    }

    public Optional<ExperimentRow> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from experiments where id = :id and tenant_id = :tenant")
                .param("id", id).param("tenant", tenant).query(ExperimentRepository::row).optional();
    }

    public List<ExperimentRow> list(String tenant, int limit) {
        return jdbc.sql("select " + COLUMNS + " from experiments where tenant_id = :tenant order by created_at desc "
                        + "limit :limit")
                .param("tenant", tenant).param("limit", limit).query(ExperimentRepository::row).list();
    }

    /** Running experiments' ids, oldest first. */
    public List<UUID> running() {
        return jdbc.sql("select id from experiments where status = 'RUNNING' order by created_at")
                .query(UUID.class).list();
    }

    /**
     * Locks a running experiment for this transaction, skipping one another instance is advancing right now: two
     * orchestrators never plan the same experiment at once.
     */
    public Optional<LockedExperiment> lockRunning(UUID id) {
        return jdbc.sql("select tenant_id, " + COLUMNS + " from experiments where id = :id and status = 'RUNNING' "
                        + "for update skip locked")
                .param("id", id)
                .query((rs, i) -> new LockedExperiment(rs.getString(1), read(rs, 1))).optional();
    }

    public record LockedExperiment(String tenant, ExperimentRow row) {
    }

    /** Waits for a planner that holds the experiment, so a status change never interleaves with a tick. */
    public boolean lockForChange(UUID id) {
        return jdbc.sql("select id from experiments where id = :id for update").param("id", id).query(UUID.class)
                .optional().isPresent();
    }

    public boolean setStatus(UUID id, Status from, Status to, String error) {
        return jdbc.sql("""
                update experiments set status = :to, error = :error, updated_at = now(),
                       finished_at = case when :to = 'RUNNING' then null else now() end
                where id = :id and status = :from""")
                .param("id", id).param("from", from.name()).param("to", to.name()).param("error", error)
                .update() == 1;
    }

    public List<Cell> cells(UUID experiment) {
        return jdbc.sql("""
                select er.arm, er.seed, er.item_id, er.tag, er.run_id, r.status, er.graded is not null
                from experiment_runs er join runs r on r.id = er.run_id
                where er.experiment_id = :id""")
                .param("id", experiment)
                .query((rs, i) -> new Cell(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, UUID.class), rs.getString(6), rs.getBoolean(7)))
                .list();
    }

    /** @param purchase a batch arm's purchase (stored as JSON, read back by the arm), or null */
    public void insertCell(UUID experiment, CellKey key, UUID runId, Object purchase) {
        jdbc.sql("""
                insert into experiment_runs (experiment_id, arm, seed, item_id, tag, run_id, purchase)
                values (:id, :arm, :seed, :item, :tag, :run, :purchase::jsonb)""")
                .param("id", experiment).param("arm", key.arm()).param("seed", key.seed())
                .param("item", key.itemId()).param("tag", key.tag()).param("run", runId)
                .param("purchase", purchase == null ? null : Json.writeString(purchase))
                .update();
        jdbc.sql("update runs set experiment_id = :id where id = :run").param("id", experiment).param("run", runId)
                .update();
    }

    /**
     * Cells whose run was cancelled (by the experiment's cancel): on resume they are planned again. Their runs keep
     * their experiment id, so what they spent stays attributed to the experiment.
     */
    public int forgetCancelledCells(UUID experiment) {
        return jdbc.sql("""
                delete from experiment_runs er using runs r
                where er.experiment_id = :id and r.id = er.run_id and r.status = 'CANCELLED'""")
                .param("id", experiment).update();
    }

    public void saveGraded(UUID experiment, CellKey key, GradedRun graded) {
        jdbc.sql("""
                update experiment_runs set graded = :graded::jsonb
                where experiment_id = :id and arm = :arm and seed = :seed and item_id = :item and tag = :tag""")
                .param("id", experiment).param("arm", key.arm()).param("seed", key.seed())
                .param("item", key.itemId()).param("tag", key.tag()).param("graded", Json.writeString(graded))
                .update();
    }

    /** A finished cell and its graded run. */
    public record GradedCell(CellKey key, GradedRun run) {
    }

    public List<GradedCell> graded(UUID experiment) {
        return jdbc.sql("""
                select arm, seed, item_id, tag, graded::text from experiment_runs
                where experiment_id = :id and graded is not null
                order by created_at, arm, seed, item_id, tag""")
                .param("id", experiment)
                .query((rs, i) -> new GradedCell(new CellKey(rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getString(4)), Json.read(rs.getString(5).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        GradedRun.class)))
                .list();
    }

    /** A batch arm's cells with their purchases (JSON) and, once graded, their graded runs. */
    public record BatchCell(CellKey key, String purchase, GradedRun graded) {
    }

    public List<BatchCell> batchCells(UUID experiment, String arm, long seed) {
        return jdbc.sql("""
                select arm, seed, item_id, tag, purchase::text, graded::text from experiment_runs
                where experiment_id = :id and arm = :arm and seed = :seed order by created_at, item_id, tag""")
                .param("id", experiment).param("arm", arm).param("seed", seed)
                .query((rs, i) -> new BatchCell(new CellKey(rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getString(4)), rs.getString(5), rs.getString(6) == null ? null
                        : Json.read(rs.getString(6).getBytes(java.nio.charset.StandardCharsets.UTF_8), GradedRun.class)))
                .list();
    }

    /** Run ids still running, to cancel them with the experiment. */
    public List<UUID> runningRuns(UUID experiment) {
        return jdbc.sql("""
                select er.run_id from experiment_runs er join runs r on r.id = er.run_id
                where er.experiment_id = :id and r.status = 'RUNNING'""")
                .param("id", experiment).query(UUID.class).list();
    }

    private static ExperimentRow read(java.sql.ResultSet rs, int offset) throws java.sql.SQLException {
        Instant finished = rs.getTimestamp(offset + 8) == null ? null : rs.getTimestamp(offset + 8).toInstant();
        SuiteItem[] items = Json.read(rs.getString(offset + 5).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                SuiteItem[].class);
        return new ExperimentRow(rs.getObject(offset + 1, UUID.class), rs.getString(offset + 2),
                Status.valueOf(rs.getString(offset + 3)),
                Json.read(rs.getString(offset + 4).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        ExperimentSpec.class),
                Arrays.asList(items), rs.getString(offset + 6), rs.getTimestamp(offset + 7).toInstant(), finished,
                rs.getString(offset + 9));
    }

    private static ExperimentRow row(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
        return read(rs, 0);
    }
}
