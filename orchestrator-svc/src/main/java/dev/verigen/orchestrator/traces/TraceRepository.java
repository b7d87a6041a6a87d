package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The append-only record of a run: candidates, verdicts, scores and usage. */
@Repository
public class TraceRepository {

    private final JdbcClient jdbc;

    public TraceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the new candidates' ids, in sample order; run-wide indexes continue where earlier steps stopped */
    public List<UUID> insertCandidates(UUID runId, UUID stepId, String pool, String backend,
                                       List<GenerationResult.Sample> samples) {
        int base = jdbc.sql("select coalesce(max(idx) + 1, 0) from candidates where run_id = :run")
                .param("run", runId).query(Integer.class).single();
        List<UUID> ids = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            GenerationResult.Sample sample = samples.get(i);
            UUID id = UUID.randomUUID();
            ids.add(id);
            jdbc.sql("""
                    insert into candidates (id, run_id, step_id, idx, text, finish_reason, completion_tokens, logprob,
                                            pool, backend)
                    values (:id, :run, :step, :idx, :text, :finish, :tokens, :logprob, :pool, :backend)""")
                    .param("id", id).param("run", runId).param("step", stepId).param("idx", base + i)
                    .param("text", sanitize(sample.text())).param("finish", sample.finishReason())
                    .param("tokens", sample.completionTokens()).param("logprob", sample.logprob())
                    .param("pool", pool).param("backend", backend == null ? "unknown" : backend)
                    .update();
        }
        return ids;
    }

    public void insertVerdicts(UUID stepId, String verifier, List<Verdict> verdicts) {
        for (Verdict v : verdicts) {
            jdbc.sql("""
                    insert into verdicts (candidate_id, step_id, verifier, outcome, extracted, evidence)
                    values (:candidate, :step, :verifier, :outcome, :extracted, :evidence)
                    on conflict (candidate_id, verifier) do nothing""")
                    .param("candidate", v.candidateId()).param("step", stepId).param("verifier", verifier)
                    .param("outcome", v.outcome().name()).param("extracted", sanitize(v.extracted()))
                    .param("evidence", sanitize(v.evidence()))
                    .update();
        }
    }

    public void insertScores(UUID stepId, String scorer, List<Score> scores) {
        for (Score s : scores) {
            jdbc.sql("""
                    insert into scores (candidate_id, step_id, scorer, value) values (:candidate, :step, :scorer, :value)
                    on conflict (candidate_id, scorer) do nothing""")
                    .param("candidate", s.candidateId()).param("step", stepId).param("scorer", scorer)
                    .param("value", s.value())
                    .update();
        }
    }

    public void recordUsage(UUID runId, UUID stepId, StepKind kind, Usage usage) {
        jdbc.sql("""
                insert into usage (run_id, step_id, kind, prompt_tokens, completion_tokens, calls, engine_ms, wall_ms)
                values (:run, :step, :kind, :prompt, :completion, :calls, :engine, :wall)""")
                .param("run", runId).param("step", stepId).param("kind", kind.name())
                .param("prompt", usage.promptTokens()).param("completion", usage.completionTokens())
                .param("calls", usage.calls()).param("engine", usage.engineMs()).param("wall", usage.wallMs())
                .update();
    }

    public Usage totalUsage(UUID runId) {
        return jdbc.sql("""
                select coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(calls), 0),
                       coalesce(sum(engine_ms), 0), coalesce(sum(wall_ms), 0)
                  from usage where run_id = :run""")
                .param("run", runId)
                .query((rs, i) -> new Usage(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .single();
    }

    /** Candidates with the verdict of {@code verifier} and the score of {@code scorer}, where those exist. */
    public List<RunState.Candidate> candidates(UUID runId, String verifier, String scorer) {
        return jdbc.sql("""
                select c.id, c.idx, c.text, v.outcome, v.extracted, s.value
                  from candidates c
                  left join verdicts v on v.candidate_id = c.id and v.verifier = :verifier
                  left join scores s on s.candidate_id = c.id and s.scorer = :scorer
                 where c.run_id = :run
                 order by c.idx""")
                .param("run", runId).param("verifier", verifier == null ? "" : verifier)
                .param("scorer", scorer == null ? "" : scorer)
                .query((rs, i) -> new RunState.Candidate(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getString(4) == null ? null : Verdict.Outcome.valueOf(rs.getString(4)), rs.getString(5),
                        (Double) rs.getObject(6)))
                .list();
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
