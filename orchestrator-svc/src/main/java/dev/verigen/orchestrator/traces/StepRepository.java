package dev.verigen.orchestrator.traces;

import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The steps of runs: one row per dispatched job, with the budget it holds, what it covers and how to resend it. */
@Repository
public class StepRepository {

    private static final String COLUMNS = """
            id, run_id, job_id, kind, status, attempt, reserved_tokens, reserved_calls, reserved_flops, tenant_budget_id,
            candidate_ids, label, action::text as action, topic, payload""";

    private final JdbcClient jdbc;

    public StepRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(StepRow step, Instant deadline) {
        insert(step, deadline, null);
    }

    /** @param traceParent the W3C trace context of the step's span, so a re-sent job continues the same trace */
    public void insert(StepRow step, Instant deadline, String traceParent) {
        jdbc.sql("""
                insert into steps (id, run_id, job_id, seq, kind, status, attempt, reserved_tokens, reserved_calls,
                                   reserved_flops, tenant_budget_id, candidate_ids, deadline, label, action, topic,
                                   payload, trace_parent)
                values (:id, :run, :job, (select coalesce(max(seq), 0) + 1 from steps where run_id = :run),
                        :kind, 'PENDING', :attempt, :tokens, :calls, :flops, :tenantBudget,
                        coalesce(string_to_array(:candidates, ',')::uuid[], '{}'), :deadline, :label,
                        cast(:action as jsonb), :topic, :payload, :trace)""")
                .param("id", step.id()).param("run", step.runId()).param("job", step.jobId())
                .param("kind", step.kind().name()).param("attempt", step.attempt())
                .param("tokens", step.reservedTokens()).param("calls", step.reservedCalls())
                .param("flops", step.reservedFlops()).param("tenantBudget", step.tenantBudgetId())
                .param("candidates", step.candidateIds().isEmpty() ? null
                        : step.candidateIds().stream().map(UUID::toString).collect(Collectors.joining(",")))
                .param("deadline", Timestamp.from(deadline))
                .param("label", step.label()).param("action", step.action()).param("topic", step.topic())
                .param("payload", step.payload()).param("trace", traceParent)
                .update();
    }

    /** The W3C trace context the step was dispatched in, if it was traced. */
    public Optional<String> traceParent(UUID stepId) {
        return jdbc.sql("select trace_parent from steps where id = :id").param("id", stepId)
                .query((rs, i) -> rs.getString(1)).optional().filter(java.util.Objects::nonNull);
    }

    /** Jobs whose deadline passed without a result (cancelled ones still holding budget too), oldest first. */
    public List<Expired> expiredJobs(Instant now, int limit) {
        return jdbc.sql("""
                select job_id, attempt from steps
                 where (status = 'PENDING' or (status = 'CANCELLED' and completed_at is null)) and deadline < :now
                 order by deadline limit :limit""")
                .param("now", Timestamp.from(now)).param("limit", limit)
                .query((rs, i) -> new Expired(rs.getObject(1, UUID.class), rs.getInt(2))).list();
    }

    /** A job past its deadline, with the attempt that was seen expiring (the sweep acts only if it is still current). */
    public record Expired(UUID jobId, int attempt) {
    }

    public Optional<StepRow> findByJob(UUID jobId) {
        return jdbc.sql("select " + COLUMNS + " from steps where job_id = :job")
                .param("job", jobId)
                .query(StepRepository::row)
                .optional();
    }

    public List<StepRow> pending(UUID runId) {
        return jdbc.sql("select " + COLUMNS + " from steps where run_id = :run and status = 'PENDING' order by seq")
                .param("run", runId).query(StepRepository::row).list();
    }

    public void complete(UUID stepId) {
        jdbc.sql("update steps set status = 'DONE', completed_at = now() where id = :id")
                .param("id", stepId).update();
    }

    public void fail(UUID stepId, String code, String detail) {
        jdbc.sql("""
                update steps set status = 'FAILED', completed_at = now(), error_code = :code, error_detail = :detail
                 where id = :id""")
                .param("id", stepId).param("code", code).param("detail", detail).update();
    }

    /** A step that was pending and is cancelled now: its job, to stop at the worker. */
    public record Cancelled(UUID stepId, UUID jobId, StepKind kind) {
    }

    /**
     * Stops waiting for pending steps. Their reservations stay held until their results (or deadlines) settle them,
     * so a job still running on a worker can never push the run over its budget.
     *
     * @return the steps that were pending and are cancelled now
     */
    public List<Cancelled> cancel(List<UUID> stepIds, String reason) {
        if (stepIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                update steps set status = 'CANCELLED', error_code = 'cancelled', error_detail = :reason
                 where id = any(string_to_array(:ids, ',')::uuid[]) and status = 'PENDING'
                returning id, job_id, kind""")
                .param("ids", stepIds.stream().map(UUID::toString).collect(Collectors.joining(",")))
                .param("reason", reason).query(StepRepository::cancelled).list();
    }

    /** Cancels every step of the run still pending (the run ended): their results are settled, never decided on. */
    public List<Cancelled> cancelPending(UUID runId, String reason) {
        return jdbc.sql("""
                update steps set status = 'CANCELLED', error_code = 'cancelled', error_detail = :reason
                 where run_id = :run and status = 'PENDING'
                returning id, job_id, kind""")
                .param("run", runId).param("reason", reason).query(StepRepository::cancelled).list();
    }

    private static Cancelled cancelled(ResultSet rs, int i) throws SQLException {
        return new Cancelled(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class),
                StepKind.valueOf(rs.getString("kind")));
    }

    /** A cancelled step whose result came (or whose deadline passed) holds nothing any more. */
    public void closeCancelled(UUID stepId) {
        jdbc.sql("update steps set completed_at = now(), reserved_tokens = 0, reserved_calls = 0, reserved_flops = 0 where id = :id")
                .param("id", stepId).update();
    }

    /** Sends the job again: the next attempt becomes the only one whose result counts (the fencing token). */
    public int nextAttempt(UUID stepId, Instant deadline) {
        return jdbc.sql("""
                update steps set attempt = attempt + 1, deadline = :deadline where id = :id returning attempt""")
                .param("id", stepId).param("deadline", Timestamp.from(deadline))
                .query(Integer.class).single();
    }

    public List<RunState.Step> forRun(UUID runId) {
        return jdbc.sql("""
                select id, kind, status, error_code, error_detail, label, attempt from steps where run_id = :run
                 order by seq""")
                .param("run", runId)
                .query((rs, i) -> new RunState.Step(rs.getObject("id", UUID.class),
                        StepKind.valueOf(rs.getString("kind")), RunState.Step.Status.valueOf(rs.getString("status")),
                        rs.getString("error_code"), rs.getString("error_detail"), rs.getString("label"),
                        rs.getInt("attempt")))
                .list();
    }

    private static StepRow row(ResultSet rs, int i) throws SQLException {
        Array ids = rs.getArray("candidate_ids");
        List<UUID> candidates = ids == null ? List.of() : Arrays.stream((Object[]) ids.getArray()).map(UUID.class::cast).toList();
        return new StepRow(rs.getObject("id", UUID.class), rs.getObject("run_id", UUID.class),
                rs.getObject("job_id", UUID.class), StepKind.valueOf(rs.getString("kind")),
                RunState.Step.Status.valueOf(rs.getString("status")), rs.getInt("attempt"),
                rs.getLong("reserved_tokens"), rs.getLong("reserved_calls"), rs.getDouble("reserved_flops"),
                rs.getObject("tenant_budget_id", UUID.class), candidates, rs.getString("label"), rs.getString("action"),
                rs.getString("topic"), rs.getBytes("payload"));
    }

    /**
     * A step as stored. {@code candidateIds} lists what a verification or scoring step was asked to judge;
     * {@code action} is the strategy's action as JSON; {@code topic} and {@code payload} are the job as first sent.
     *
     * @param tenantBudgetId the tenant budget row that holds the step's reservation too; null when only the run's does
     */
    public record StepRow(UUID id, UUID runId, UUID jobId, StepKind kind, RunState.Step.Status status, int attempt,
                          long reservedTokens, long reservedCalls, double reservedFlops, UUID tenantBudgetId,
                          List<UUID> candidateIds, String label, String action, String topic, byte[] payload) {
        public StepRow {
            candidateIds = List.copyOf(candidateIds);
            label = label == null ? "" : label;
        }
    }
}
