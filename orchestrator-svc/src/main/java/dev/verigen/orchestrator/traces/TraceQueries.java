package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.traces.TraceTree.CandidateRecord;
import dev.verigen.orchestrator.traces.TraceTree.StepRecord;
import dev.verigen.orchestrator.traces.TraceView.ScoreEntry;
import dev.verigen.orchestrator.traces.TraceView.UsageEntry;
import dev.verigen.orchestrator.traces.TraceView.VerdictEntry;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reads a run's whole trace back: five queries, one per table, whatever the run's size. */
@Component
public class TraceQueries {

    private final JdbcClient jdbc;
    private final RunRepository runs;

    public TraceQueries(JdbcClient jdbc, RunRepository runs) {
        this.jdbc = jdbc;
        this.runs = runs;
    }

    /** The run's trace; empty when the tenant has no such run. Read in one snapshot, so the parts agree. */
    @Transactional(readOnly = true, isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
    public Optional<TraceView> find(UUID runId, String tenant) {
        return runs.find(runId, tenant).map(this::trace);
    }

    private TraceView trace(RunRow run) {
        List<StepRecord> steps = jdbc.sql("""
                select id, seq, kind, label, status, attempt, action::text as action, reserved_tokens, reserved_calls,
                       reserved_flops, candidate_ids, error_code, error_detail, created_at, completed_at
                  from steps where run_id = :run order by seq""")
                .param("run", run.id()).query((rs, i) -> step(rs, run)).list();
        List<CandidateRecord> candidates = jdbc.sql("""
                select id, idx, step_id, parent_id, role, label, pool, backend, complete, finish_reason,
                       completion_tokens, logprob, text, created_at
                  from candidates where run_id = :run order by idx""")
                .param("run", run.id())
                .query((rs, i) -> new CandidateRecord(rs.getObject("id", UUID.class), rs.getInt("idx"),
                        rs.getObject("step_id", UUID.class), rs.getObject("parent_id", UUID.class),
                        rs.getString("role"), rs.getString("label"), rs.getString("pool"), rs.getString("backend"),
                        rs.getBoolean("complete"), rs.getString("finish_reason"), rs.getLong("completion_tokens"),
                        (Double) rs.getObject("logprob"), rs.getString("text"), instant(rs, "created_at")))
                .list();
        Map<UUID, List<VerdictEntry>> verdicts = jdbc.sql("""
                select v.candidate_id, v.verifier, v.outcome, v.extracted, v.evidence, v.step_id, v.created_at
                  from candidates c join lateral (select * from verdicts where candidate_id = c.id offset 0) v on true
                 where c.run_id = :run order by v.created_at, v.verifier""")
                .param("run", run.id())
                .query((rs, i) -> Map.entry(rs.getObject("candidate_id", UUID.class), new VerdictEntry(
                        rs.getString("verifier"), rs.getString("outcome"), rs.getString("extracted"),
                        rs.getString("evidence"), rs.getObject("step_id", UUID.class), instant(rs, "created_at"))))
                .list().stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Map<UUID, List<ScoreEntry>> scores = jdbc.sql("""
                select s.candidate_id, s.scorer, s.value, s.step_id, s.created_at
                  from candidates c join lateral (select * from scores where candidate_id = c.id offset 0) s on true
                 where c.run_id = :run order by s.created_at, s.scorer""")
                .param("run", run.id())
                .query((rs, i) -> Map.entry(rs.getObject("candidate_id", UUID.class), new ScoreEntry(
                        rs.getString("scorer"), rs.getDouble("value"), rs.getObject("step_id", UUID.class),
                        instant(rs, "created_at"))))
                .list().stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        List<UsageEntry> usage = jdbc.sql("""
                select id, step_id, kind, prompt_tokens, completion_tokens, calls, engine_ms, wall_ms, flops,
                       recorded_at
                  from usage where run_id = :run order by id""")
                .param("run", run.id())
                .query((rs, i) -> new UsageEntry(rs.getLong("id"), rs.getObject("step_id", UUID.class),
                        rs.getString("kind"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
                        rs.getLong("calls"), rs.getLong("engine_ms"), rs.getLong("wall_ms"), rs.getDouble("flops"),
                        instant(rs, "recorded_at")))
                .list();
        return new TraceView(run.id(), run.status().name(), run.spec().strategy(), run.createdAt(), run.finishedAt(),
                run.selectedCandidateId(), TraceTree.totals(usage), TraceTree.steps(steps, candidates, usage),
                TraceTree.candidates(candidates, verdicts, scores), usage, ArchonLayers.of(run.spec(), run.memo()));
    }

    /** What the step's stored action says it ran on; the run's spec fills in what the action left to it. */
    private static StepRecord step(ResultSet rs, RunRow run) throws SQLException {
        StepKind kind = StepKind.valueOf(rs.getString("kind"));
        String action = rs.getString("action");
        String pool = null;
        String role = null;
        String scorer = null;
        String verifier = null;
        switch (kind) {
            case GENERATION -> {
                Action.Generate g = action == null ? null : read(action, Action.Generate.class);
                pool = g == null || g.pool() == null ? run.spec().model() : g.pool();
                role = g == null ? "GENERATE" : g.role().name();
            }
            case SCORING -> {
                Action.Score s = action == null ? null : read(action, Action.Score.class);
                scorer = s == null || s.scorer() == null ? run.spec().rewardModel() : s.scorer();
            }
            case VERIFICATION -> verifier = run.spec().verifier() == null ? null : run.spec().verifier().type();
        }
        String errorCode = rs.getString("error_code");
        Array ids = rs.getArray("candidate_ids");
        List<UUID> judged = ids == null ? List.of()
                : Arrays.stream((Object[]) ids.getArray()).map(UUID.class::cast).toList();
        return new StepRecord(rs.getObject("id", UUID.class), rs.getInt("seq"), kind.name(), rs.getString("label"),
                rs.getString("status"), rs.getInt("attempt"), pool, role, scorer, verifier,
                new TraceView.Reserved(rs.getLong("reserved_tokens"), rs.getLong("reserved_calls"),
                        rs.getDouble("reserved_flops")),
                errorCode == null ? null : new TraceView.Error(errorCode, rs.getString("error_detail")),
                instant(rs, "created_at"), instant(rs, "completed_at"), judged);
    }

    private static <T> T read(String json, Class<T> type) {
        return Json.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
