package dev.verigen.orchestrator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.verigen.contracts.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention on real PostgreSQL (issue 16): runs and experiments past their tenant's age go with their whole trace, in
 * batches; running and recent ones, and those of tenants that keep everything, stay; old inbox rows expire; every
 * foreign key a delete walks has an index.
 */
class RetentionIT {

    private static final TestDatabase DB = TestDatabase.create("retention");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static RetentionRepository repository;

    @BeforeAll
    static void migrate() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(DB.url());
        dataSource.setUsername(DB.user());
        dataSource.setPassword(DB.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        repository = new RetentionRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        DB.close();
    }

    private static RetentionSweep sweep(Duration defaultAge, Map<String, Duration> tenants, int batch) {
        return new RetentionSweep(repository, new RetentionProperties(true, Duration.ofHours(1), defaultAge, tenants,
                batch, Duration.ofDays(8)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void tenant(String id) {
        jdbc.sql("insert into tenants (id, name) values (:t, :t) on conflict do nothing").param("t", id).update();
    }

    /** A run with a full trace: budget, two steps, two candidates (one the other's parent), verdict, score, usage, events. */
    private static UUID run(String tenant, String status, Instant finished, UUID experiment) {
        UUID run = UUID.randomUUID();
        jdbc.sql("""
                insert into runs (id, tenant_id, request_hash, strategy, spec, input, status, finished_at, experiment_id)
                values (:id, :t, 'h', 'best_of_n', '{}', '{}', :status, :finished, :experiment)""")
                .param("id", run).param("t", tenant).param("status", status)
                .param("finished", finished == null ? null : Timestamp.from(finished)).param("experiment", experiment)
                .update();
        jdbc.sql("insert into budgets (id, scope, tenant_id, run_id, max_tokens) values (:id, 'run', :t, :run, 100)")
                .param("id", UUID.randomUUID()).param("t", tenant).param("run", run).update();
        UUID gen = step(run, 1, "GENERATION");
        UUID verify = step(run, 2, "VERIFICATION");
        UUID parent = UUID.randomUUID();
        UUID child = UUID.randomUUID();
        for (UUID[] c : new UUID[][] {{parent, null}, {child, parent}}) {
            jdbc.sql("""
                    insert into candidates (id, run_id, step_id, idx, text, pool, backend, parent_id)
                    values (:id, :run, :step, :idx, 'x', 'sim-math', 'sim', :parent)""")
                    .param("id", c[0]).param("run", run).param("step", gen).param("idx", c[1] == null ? 0 : 1)
                    .param("parent", c[1]).update();
        }
        jdbc.sql("insert into verdicts (candidate_id, step_id, verifier, outcome, evidence) values (:c, :s, 'numeric', 'PASS', 'e')")
                .param("c", child).param("s", verify).update();
        jdbc.sql("insert into scores (candidate_id, step_id, scorer, value) values (:c, :s, 'sim-orm', 0.5)")
                .param("c", parent).param("s", verify).update();
        jdbc.sql("""
                insert into usage (run_id, step_id, kind, prompt_tokens, completion_tokens, calls, engine_ms, wall_ms)
                values (:run, :s, 'GENERATION', 1, 1, 1, 1, 1)""").param("run", run).param("s", gen).update();
        jdbc.sql("insert into run_events (run_id, type, data) values (:run, 'run.finished', '{}')").param("run", run).update();
        return run;
    }

    private static UUID step(UUID run, int seq, String kind) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into steps (id, run_id, job_id, seq, kind, status, deadline)
                values (:id, :run, :job, :seq, :kind, 'DONE', now())""")
                .param("id", id).param("run", run).param("job", UUID.randomUUID()).param("seq", seq).param("kind", kind)
                .update();
        return id;
    }

    private static UUID experiment(String tenant, String status, Instant finished) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into experiments (id, tenant_id, name, status, spec, dataset, items, finished_at)
                values (:id, :t, 'e', :status, '{}', 'inline', '[]', :finished)""")
                .param("id", id).param("t", tenant).param("status", status)
                .param("finished", finished == null ? null : Timestamp.from(finished)).update();
        return id;
    }

    private static boolean exists(UUID run) {
        return jdbc.sql("select count(*) from runs where id = :id").param("id", run).query(Long.class).single() == 1;
    }

    private static long left(String table, UUID run) {
        return jdbc.sql("select count(*) from " + table + " where run_id = :id").param("id", run).query(Long.class).single();
    }

    @Test
    void oldFinishedRunsGoWithTheirWholeTraceInBatchesPerTenantPolicy() {
        tenant("brief");
        tenant("keeper");
        tenant("normal");
        Instant old = NOW.minus(Duration.ofDays(40));
        Instant recent = NOW.minus(Duration.ofDays(5));
        List<UUID> doomed = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            doomed.add(run("normal", i % 2 == 0 ? "SUCCEEDED" : "FAILED", old, null));
        }
        UUID recentNormal = run("normal", "SUCCEEDED", recent, null);
        UUID running = run("normal", "RUNNING", null, null);
        UUID briefRecent = run("brief", "SUCCEEDED", recent, null);     // brief keeps 1 day only
        UUID keeperOld = run("keeper", "SUCCEEDED", old, null);         // keeper keeps forever
        UUID oldExperiment = experiment("normal", "SUCCEEDED", old);
        UUID experimentRun = run("normal", "SUCCEEDED", old, oldExperiment);
        jdbc.sql("""
                insert into experiment_runs (experiment_id, arm, seed, item_id, tag, run_id)
                values (:e, 'a', 1, 'i', 't', :r)""").param("e", oldExperiment).param("r", experimentRun).update();
        UUID runningExperiment = experiment("normal", "RUNNING", null);
        UUID runOfRunningExperiment = run("normal", "SUCCEEDED", old, runningExperiment);

        RetentionSweep.Result result = sweep(Duration.ofDays(30),
                Map.of("brief", Duration.ofDays(1), "keeper", Duration.ZERO), 2).sweep();

        assertThat(result.runs()).isEqualTo(6); // five old, brief's recent one
        assertThat(result.experiments()).isEqualTo(1);
        for (UUID gone : doomed) {
            assertThat(exists(gone)).isFalse();
            for (String table : List.of("steps", "candidates", "usage", "run_events", "budgets")) {
                assertThat(left(table, gone)).as(table).isZero();
            }
        }
        assertThat(exists(briefRecent)).isFalse();
        assertThat(exists(experimentRun)).isFalse();
        assertThat(jdbc.sql("select count(*) from experiments where id = :id").param("id", oldExperiment)
                .query(Long.class).single()).isZero();
        assertThat(List.of(recentNormal, running, keeperOld, runOfRunningExperiment)).allMatch(RetentionIT::exists);
        assertThat(left("candidates", recentNormal)).isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from verdicts").query(Long.class).single()).isEqualTo(4);
    }

    @Test
    void inboxRowsExpirePastTheInboxAgeOnly() {
        UUID oldJob = UUID.randomUUID();
        UUID freshJob = UUID.randomUUID();
        jdbc.sql("insert into processed_jobs (job_id, attempt, processed_at) values (:j, 1, :at)")
                .param("j", oldJob).param("at", Timestamp.from(NOW.minus(Duration.ofDays(9)))).update();
        jdbc.sql("insert into processed_jobs (job_id, attempt, processed_at) values (:j, 1, :at)")
                .param("j", freshJob).param("at", Timestamp.from(NOW.minus(Duration.ofDays(2)))).update();

        assertThat(sweep(Duration.ZERO, Map.of(), 1).sweep().inboxRows()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.sql("select job_id from processed_jobs where job_id in (:a, :b)").param("a", oldJob)
                .param("b", freshJob).query(UUID.class).list()).containsExactly(freshJob);
    }

    @Test
    void everyForeignKeyADeleteWalksHasAnIndex() {
        List<String> unindexed = jdbc.sql("""
                select c.conrelid::regclass || '.' || a.attname
                  from pg_constraint c
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
                 where c.contype = 'f' and cardinality(c.conkey) = 1
                   and c.confrelid::regclass::text in ('runs', 'steps', 'candidates', 'budgets', 'experiments')
                   and not exists (select 1 from pg_index i
                                    where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])
                 order by 1""").query(String.class).list();
        assertThat(unindexed).isEmpty();
    }
}
