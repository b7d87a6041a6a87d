package dev.verigen.orchestrator.runs;

import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class RunRepository {

    private static final String COLUMNS = """
            id, tenant_id, status, strategy, spec, input, selected_candidate_id, result_reason, error_code,
            error_detail, created_at, finished_at, memo::text as memo, trace_id""";

    private final JdbcClient jdbc;
    private final RunCompletions completions;

    public RunRepository(JdbcClient jdbc, RunCompletions completions) {
        this.jdbc = jdbc;
        this.completions = completions;
    }

    /** @return false when the tenant already has a run under this idempotency key (nothing is written then) */
    public boolean insert(UUID id, String tenant, String idempotencyKey, String requestHash, PipelineSpec spec,
                          RunInput input) {
        return insert(id, tenant, idempotencyKey, requestHash, spec, input, null);
    }

    /** @param traceId the run's distributed trace (null without tracing) */
    public boolean insert(UUID id, String tenant, String idempotencyKey, String requestHash, PipelineSpec spec,
                          RunInput input, String traceId) {
        return jdbc.sql("""
                insert into runs (id, tenant_id, idempotency_key, request_hash, strategy, spec, input, status, trace_id)
                values (:id, :tenant, :key, :hash, :strategy, :spec::jsonb, :input::jsonb, 'RUNNING', :trace)
                on conflict (tenant_id, idempotency_key) do nothing""")
                .param("id", id).param("tenant", tenant).param("key", idempotencyKey).param("hash", requestHash)
                .param("strategy", spec.strategy()).param("spec", Json.writeString(spec))
                .param("input", Json.writeString(input)).param("trace", traceId)
                .update() == 1;
    }

    public Optional<Keyed> findByIdempotencyKey(String tenant, String key) {
        return jdbc.sql("select id, request_hash, status from runs where tenant_id = :tenant and idempotency_key = :key")
                .param("tenant", tenant).param("key", key)
                .query((rs, i) -> new Keyed(rs.getObject(1, UUID.class), rs.getString(2), RunStatus.valueOf(rs.getString(3))))
                .optional();
    }

    /** Locks the run for the rest of the transaction, so the events of one run are decided one at a time. */
    public Optional<RunRow> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from runs where id = :id for update")
                .param("id", id).query(RunRepository::row).optional();
    }

    public Optional<RunRow> find(UUID id, String tenant) {
        return jdbc.sql("select " + COLUMNS + " from runs where id = :id and tenant_id = :tenant")
                .param("id", id).param("tenant", tenant).query(RunRepository::row).optional();
    }

    public void succeed(UUID id, UUID candidateId, String reason) {
        jdbc.sql("""
                update runs set status = 'SUCCEEDED', selected_candidate_id = :candidate, result_reason = :reason,
                                updated_at = now(), finished_at = now()
                 where id = :id and status = 'RUNNING'""")
                .param("id", id).param("candidate", candidateId).param("reason", reason).update();
        completions.ended(id);
    }

    public void fail(UUID id, String code, String detail) {
        jdbc.sql("""
                update runs set status = 'FAILED', error_code = :code, error_detail = :detail, updated_at = now(),
                                finished_at = now()
                 where id = :id and status = 'RUNNING'""")
                .param("id", id).param("code", code).param("detail", detail).update();
        completions.ended(id);
    }

    /** Stops the run where it stands; steps already in flight settle their spend when they answer. */
    public boolean cancel(UUID id, String reason) {
        boolean cancelled = jdbc.sql("""
                update runs set status = 'CANCELLED', cancel_reason = :reason, error_code = 'cancelled',
                                error_detail = :reason, updated_at = now(), finished_at = now()
                 where id = :id and status = 'RUNNING'""")
                .param("id", id).param("reason", reason).update() == 1;
        if (cancelled) {
            completions.ended(id);
        }
        return cancelled;
    }

    public void remember(UUID id, Object memo) {
        jdbc.sql("update runs set memo = cast(:memo as jsonb), updated_at = now() where id = :id")
                .param("id", id).param("memo", Json.writeString(memo)).update();
    }

    private static RunRow row(ResultSet rs, int i) throws SQLException {
        return new RunRow(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                RunStatus.valueOf(rs.getString("status")),
                Json.read(rs.getString("spec").getBytes(StandardCharsets.UTF_8), PipelineSpec.class),
                Json.read(rs.getString("input").getBytes(StandardCharsets.UTF_8), RunInput.class),
                rs.getObject("selected_candidate_id", UUID.class), rs.getString("result_reason"),
                rs.getString("error_code"), rs.getString("error_detail"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("finished_at")), memo(rs.getString("memo")),
                rs.getString("trace_id"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> memo(String json) {
        return json == null ? null : Json.read(json.getBytes(StandardCharsets.UTF_8), Map.class);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    public record Keyed(UUID id, String requestHash, RunStatus status) {
    }

    public record RunRow(UUID id, String tenant, RunStatus status, PipelineSpec spec, RunInput input,
                         UUID selectedCandidateId, String resultReason, String errorCode, String errorDetail,
                         Instant createdAt, Instant finishedAt, Map<String, Object> memo, String traceId) {
    }

    public enum RunStatus { RUNNING, SUCCEEDED, FAILED, CANCELLED }
}
