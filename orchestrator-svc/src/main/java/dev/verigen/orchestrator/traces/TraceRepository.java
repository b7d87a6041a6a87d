package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The append-only record of a run: candidates, verdicts, scores and usage. */
@Repository
public class TraceRepository {

    private final JdbcClient jdbc;

    private final NamedParameterJdbcTemplate batch;

    public TraceRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * A candidate to record.
     *
     * @param text     the whole text (a continuation's parent text included)
     * @param complete false for a partial solution that step-wise search may extend
     */
    public record NewCandidate(String text, String finishReason, long completionTokens, Double logprob, UUID parentId,
                               String label, Role role, boolean complete) {
    }

    /** @return the new candidates' ids, in order; run-wide indexes continue where earlier steps stopped */
    public List<UUID> insertCandidates(UUID runId, UUID stepId, String pool, String backend,
                                       List<NewCandidate> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        int base = jdbc.sql("select coalesce(max(idx) + 1, 0) from candidates where run_id = :run")
                .param("run", runId).query(Integer.class).single();
        List<UUID> ids = new ArrayList<>(candidates.size());
        MapSqlParameterSource[] rows = new MapSqlParameterSource[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            NewCandidate c = candidates.get(i);
            UUID id = UUID.randomUUID();
            ids.add(id);
            rows[i] = new MapSqlParameterSource()
                    .addValue("id", id).addValue("run", runId).addValue("step", stepId).addValue("idx", base + i)
                    .addValue("text", sanitize(c.text())).addValue("finish", c.finishReason())
                    .addValue("tokens", c.completionTokens()).addValue("logprob", c.logprob())
                    .addValue("pool", pool).addValue("backend", backend == null ? "unknown" : backend)
                    .addValue("parent", c.parentId()).addValue("label", c.label() == null ? "" : c.label())
                    .addValue("role", c.role().name()).addValue("complete", c.complete());
        }
        // one round trip for the whole sample batch (reWriteBatchedInserts turns it into multi-row inserts)
        batch.batchUpdate("""
                insert into candidates (id, run_id, step_id, idx, text, finish_reason, completion_tokens, logprob,
                                        pool, backend, parent_id, label, role, complete)
                values (:id, :run, :step, :idx, :text, :finish, :tokens, :logprob, :pool, :backend, :parent, :label,
                        :role, :complete)""", rows);
        return ids;
    }

    public void insertVerdicts(UUID stepId, String verifier, List<Verdict> verdicts) {
        batch.batchUpdate("""
                insert into verdicts (candidate_id, step_id, verifier, outcome, extracted, evidence)
                values (:candidate, :step, :verifier, :outcome, :extracted, :evidence)
                on conflict (candidate_id, verifier) do nothing""", verdicts.stream().map(v -> new MapSqlParameterSource()
                .addValue("candidate", v.candidateId()).addValue("step", stepId).addValue("verifier", verifier)
                .addValue("outcome", v.outcome().name()).addValue("extracted", sanitize(v.extracted()))
                .addValue("evidence", sanitize(v.evidence()))).toArray(MapSqlParameterSource[]::new));
    }

    public void insertScores(UUID stepId, String scorer, List<Score> scores) {
        batch.batchUpdate("""
                insert into scores (candidate_id, step_id, scorer, value) values (:candidate, :step, :scorer, :value)
                on conflict (candidate_id, scorer) do nothing""", scores.stream().map(s -> new MapSqlParameterSource()
                .addValue("candidate", s.candidateId()).addValue("step", stepId).addValue("scorer", scorer)
                .addValue("value", s.value())).toArray(MapSqlParameterSource[]::new));
    }

    public void recordUsage(UUID runId, UUID stepId, StepKind kind, Usage usage, double flops) {
        jdbc.sql("""
                insert into usage (run_id, step_id, kind, prompt_tokens, completion_tokens, calls, engine_ms, wall_ms,
                                   flops)
                values (:run, :step, :kind, :prompt, :completion, :calls, :engine, :wall, :flops)""")
                .param("flops", flops)
                .param("run", runId).param("step", stepId).param("kind", kind.name())
                .param("prompt", usage.promptTokens()).param("completion", usage.completionTokens())
                .param("calls", usage.calls()).param("engine", usage.engineMs()).param("wall", usage.wallMs())
                .update();
    }

    /** A late result's usage (its step had stopped waiting for it): recorded and counted, marked late. */
    public void recordLateUsage(UUID runId, UUID stepId, StepKind kind, Usage usage, double flops) {
        jdbc.sql("""
                insert into usage (run_id, step_id, kind, prompt_tokens, completion_tokens, calls, engine_ms, wall_ms,
                                   flops, late)
                values (:run, :step, :kind, :prompt, :completion, :calls, :engine, :wall, :flops, true)""")
                .param("flops", flops)
                .param("run", runId).param("step", stepId).param("kind", kind.name())
                .param("prompt", usage.promptTokens()).param("completion", usage.completionTokens())
                .param("calls", usage.calls()).param("engine", usage.engineMs()).param("wall", usage.wallMs())
                .update();
    }

    public UsageView totalUsage(UUID runId) {
        return jdbc.sql("""
                select coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(calls), 0),
                       coalesce(sum(engine_ms), 0), coalesce(sum(wall_ms), 0), coalesce(sum(flops), 0)
                  from usage where run_id = :run""")
                .param("run", runId)
                .query((rs, i) -> new UsageView(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getDouble(6)))
                .single();
    }

    /** Candidates with the verdict of {@code verifier}, the score of {@code scorer} and every other score. */
    public List<RunState.Candidate> candidates(UUID runId, String verifier, String scorer) {
        return jdbc.sql("""
                select c.id, c.idx, c.text, v.outcome, v.extracted,
                       (select s.value from scores s where s.candidate_id = c.id and s.scorer = :scorer) as score,
                       (select jsonb_object_agg(s.scorer, s.value)::text from scores s where s.candidate_id = c.id)
                           as scores,
                       c.parent_id, c.label, c.role, c.pool, c.complete, c.finish_reason, c.completion_tokens,
                       c.logprob
                  from candidates c
                  -- per candidate by primary key, whatever the planner's statistics say about the verdicts table
                  left join lateral (select outcome, extracted from verdicts
                                      where candidate_id = c.id and verifier = :verifier limit 1) v on true
                 where c.run_id = :run
                 order by c.idx""")
                .param("run", runId).param("verifier", verifier == null ? "" : verifier)
                .param("scorer", scorer == null ? "" : scorer)
                .query((rs, i) -> new RunState.Candidate(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getString(4) == null ? null : Verdict.Outcome.valueOf(rs.getString(4)), rs.getString(5),
                        (Double) rs.getObject(6), scores(rs.getString(7)), rs.getObject(8, UUID.class),
                        rs.getString(9), Role.valueOf(rs.getString(10)), rs.getString(11), rs.getBoolean(12),
                        rs.getString(13), rs.getLong(14), (Double) rs.getObject(15)))
                .list();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> scores(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, Object> raw = Json.read(json.getBytes(StandardCharsets.UTF_8), Map.class);
        Map<String, Double> out = new HashMap<>();
        raw.forEach((k, v) -> out.put(k, ((Number) v).doubleValue()));
        return out;
    }

    public List<CandidateRef> candidateRefs(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select id, text from candidates where id = any(string_to_array(:ids, ',')::uuid[]) order by idx""")
                .param("ids", ids.stream().map(UUID::toString).collect(Collectors.joining(",")))
                .query((rs, i) -> new CandidateRef(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
    }

    /** PostgreSQL text cannot hold NUL; model output can. */
    static String sanitize(String text) {
        return text == null ? null : text.replace("\u0000", "\uFFFD");
    }
}
