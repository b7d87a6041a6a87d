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

/** The steps of runs: one row per dispatched job, with the budget it holds and what it covers. */
@Repository
public class StepRepository {

    private final JdbcClient jdbc;

    public StepRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(StepRow step, Instant deadline) {
        jdbc.sql("""
                insert into steps (id, run_id, job_id, seq, kind, status, attempt, reserved_tokens, reserved_calls,
                                   candidate_ids, deadline)
                values (:id, :run, :job, (select coalesce(max(seq), 0) + 1 from steps where run_id = :run),
                        :kind, 'PENDING', :attempt, :tokens, :calls,
                        coalesce(string_to_array(:candidates, ',')::uuid[], '{}'), :deadline)""")
                .param("id", step.id()).param("run", step.runId()).param("job", step.jobId())
                .param("kind", step.kind().name()).param("attempt", step.attempt())
                .param("tokens", step.reservedTokens()).param("calls", step.reservedCalls())
                .param("candidates", step.candidateIds().isEmpty() ? null
                        : step.candidateIds().stream().map(UUID::toString).collect(Collectors.joining(",")))
                .param("deadline", Timestamp.from(deadline))
                .update();
    }

    /** Jobs whose deadline passed without a result, oldest first. */
    public List<UUID> expiredJobs(Instant now, int limit) {
        return jdbc.sql("""
                select job_id from steps where status = 'PENDING' and deadline < :now order by deadline limit :limit""")
                .param("now", Timestamp.from(now)).param("limit", limit)
                .query(UUID.class).list();
    }

    public Optional<StepRow> findByJob(UUID jobId) {
        return jdbc.sql("""
                select id, run_id, job_id, kind, status, attempt, reserved_tokens, reserved_calls, candidate_ids
                  from steps where job_id = :job""")
                .param("job", jobId)
                .query(StepRepository::row)
                .optional();
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

    public List<RunState.Step> forRun(UUID runId) {
        return jdbc.sql("select id, kind, status, error_code, error_detail from steps where run_id = :run order by seq")
                .param("run", runId)
                .query((rs, i) -> new RunState.Step(rs.getObject("id", UUID.class),
                        StepKind.valueOf(rs.getString("kind")), RunState.Step.Status.valueOf(rs.getString("status")),
                        rs.getString("error_code"), rs.getString("error_detail")))
                .list();
    }

    private static StepRow row(ResultSet rs, int i) throws SQLException {
        Array ids = rs.getArray("candidate_ids");
        List<UUID> candidates = ids == null ? List.of() : Arrays.stream((Object[]) ids.getArray()).map(UUID.class::cast).toList();
        return new StepRow(rs.getObject("id", UUID.class), rs.getObject("run_id", UUID.class),
                rs.getObject("job_id", UUID.class), StepKind.valueOf(rs.getString("kind")),
                RunState.Step.Status.valueOf(rs.getString("status")), rs.getInt("attempt"),
                rs.getLong("reserved_tokens"), rs.getLong("reserved_calls"), candidates);
    }

    /** A step as stored. {@code candidateIds} lists what a verification or scoring step was asked to judge. */
    public record StepRow(UUID id, UUID runId, UUID jobId, StepKind kind, RunState.Step.Status status, int attempt,
                          long reservedTokens, long reservedCalls, List<UUID> candidateIds) {
        public StepRow {
            candidateIds = List.copyOf(candidateIds);
        }
    }
}
