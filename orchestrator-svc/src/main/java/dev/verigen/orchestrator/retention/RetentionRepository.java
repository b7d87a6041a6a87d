package dev.verigen.orchestrator.retention;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes old runs with their whole trace, one batch per transaction, children before parents (every foreign key a
 * delete walks has an index: V52). Runs are claimed with {@code for update skip locked}: two orchestrators sweeping at
 * once share the work instead of waiting on each other, and a run some transaction still holds is left for later.
 */
@Repository
public class RetentionRepository {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public RetentionRepository(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    public List<String> tenants() {
        return jdbc.sql("select id from tenants order by id").query(String.class).list();
    }

    /**
     * Deletes up to {@code limit} of {@code tenant}'s runs that finished before {@code cutoff} and belong to no
     * experiment (an experiment's runs go with the experiment).
     *
     * @return how many runs were deleted
     */
    public int deleteRuns(String tenant, Instant cutoff, int limit) {
        Integer deleted = tx.execute(status -> {
            List<UUID> runs = jdbc.sql("""
                    select id from runs
                     where tenant_id = :tenant and status <> 'RUNNING' and finished_at < :cutoff
                       and experiment_id is null
                     order by finished_at limit :limit for update skip locked""")
                    .param("tenant", tenant).param("cutoff", java.sql.Timestamp.from(cutoff)).param("limit", limit)
                    .query(UUID.class).list();
            deleteTraces(runs);
            return runs.size();
        });
        return deleted == null ? 0 : deleted;
    }

    /**
     * Deletes up to {@code limit} of {@code tenant}'s experiments that finished before {@code cutoff}, with their runs.
     *
     * @return how many experiments were deleted
     */
    public int deleteExperiments(String tenant, Instant cutoff, int limit) {
        Integer deleted = tx.execute(status -> {
            List<UUID> experiments = jdbc.sql("""
                    select id from experiments
                     where tenant_id = :tenant and status <> 'RUNNING' and finished_at < :cutoff
                     order by finished_at limit :limit for update skip locked""")
                    .param("tenant", tenant).param("cutoff", java.sql.Timestamp.from(cutoff)).param("limit", limit)
                    .query(UUID.class).list();
            if (experiments.isEmpty()) {
                return 0;
            }
            UUID[] ids = experiments.toArray(UUID[]::new);
            List<UUID> runs = jdbc.sql("select id from runs where experiment_id = any(:ids) for update")
                    .param("ids", ids).query(UUID.class).list();
            jdbc.sql("delete from experiment_runs where experiment_id = any(:ids)").param("ids", ids).update();
            deleteTraces(runs);
            jdbc.sql("delete from experiments where id = any(:ids)").param("ids", ids).update();
            return experiments.size();
        });
        return deleted == null ? 0 : deleted;
    }

    /** Runs and every row that hangs off them, children first. */
    private void deleteTraces(List<UUID> runs) {
        if (runs.isEmpty()) {
            return;
        }
        UUID[] ids = runs.toArray(UUID[]::new);
        jdbc.sql("delete from run_events where run_id = any(:ids)").param("ids", ids).update();
        jdbc.sql("delete from usage where run_id = any(:ids)").param("ids", ids).update();
        jdbc.sql("delete from verdicts where candidate_id in (select id from candidates where run_id = any(:ids))")
                .param("ids", ids).update();
        jdbc.sql("delete from scores where candidate_id in (select id from candidates where run_id = any(:ids))")
                .param("ids", ids).update();
        jdbc.sql("delete from experiment_runs where run_id = any(:ids)").param("ids", ids).update();
        jdbc.sql("delete from candidates where run_id = any(:ids)").param("ids", ids).update();
        jdbc.sql("delete from steps where run_id = any(:ids)").param("ids", ids).update();
        jdbc.sql("delete from budgets where run_id = any(:ids)").param("ids", ids).update();
        jdbc.sql("delete from runs where id = any(:ids)").param("ids", ids).update();
    }

    /**
     * Deletes up to {@code limit} processed-job inbox rows older than {@code cutoff}.
     *
     * @return how many were deleted
     */
    public int expireInbox(Instant cutoff, int limit) {
        return jdbc.sql("""
                delete from processed_jobs where ctid = any(array(
                    select ctid from processed_jobs where processed_at < :cutoff limit :limit))""")
                .param("cutoff", java.sql.Timestamp.from(cutoff)).param("limit", limit).update();
    }
}
