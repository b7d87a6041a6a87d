package dev.verigen.orchestrator.experiments.grading;

import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import dev.verigen.orchestrator.experiments.ExperimentProperties;
import dev.verigen.support.access.GatewayCredential;
import dev.verigen.orchestrator.experiments.metrics.GradedRun;
import dev.verigen.orchestrator.experiments.metrics.GradedSample;
import dev.verigen.orchestrator.strategies.Answers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A finished run as an experiment sees it: every complete generated candidate graded against the item's
 * reference, with the pipeline's own verdict, reward score and likelihood beside it, and what the run spent.
 */
@Component
public class RunGrader {

    private final JdbcClient jdbc;
    private final Map<TaskKind, Grader> graders;

    @org.springframework.beans.factory.annotation.Autowired
    public RunGrader(JdbcClient jdbc, ExperimentProperties properties, GatewayCredential credential) {
        this.jdbc = jdbc;
        Grader numeric = new NumericGrader();
        this.graders = Map.of(TaskKind.NUMERIC, numeric,
                TaskKind.SQL, new VerifierServiceGrader(properties.graderUrl(), properties.graderTimeout(), TaskKind.SQL,
                        credential.secret()),
                TaskKind.CODE, new VerifierServiceGrader(properties.graderUrl(), properties.graderTimeout(), TaskKind.CODE,
                        credential.secret()));
    }

    RunGrader(JdbcClient jdbc, Map<TaskKind, Grader> graders) {
        this.jdbc = jdbc;
        this.graders = Map.copyOf(graders);
    }

    public GradedRun grade(UUID runId, String arm, long seed, SuiteItem item) {
        Grader grader = graders.get(TaskKind.parse(item.task()).orElse(TaskKind.NUMERIC));
        var run = jdbc.sql("""
                select r.status, r.selected_candidate_id, r.spec->>'rewardModel',
                       coalesce(b.used_tokens, 0), coalesce(b.used_calls, 0), coalesce(b.used_flops, 0),
                       (r.spec->'sampling'->>'temperature')::float8
                from runs r left join budgets b on b.run_id = r.id and b.scope = 'run' where r.id = :id""")
                .param("id", runId)
                .query((rs, i) -> new RunFacts(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getBigDecimal(6), (Double) rs.getObject(7)))
                .single();
        List<CandidateFacts> candidates = jdbc.sql("""
                select c.id, c.idx, c.text, c.completion_tokens, c.logprob, c.role, c.complete, c.label,
                       (select v.outcome from verdicts v where v.candidate_id = c.id order by v.created_at limit 1),
                       (select v.extracted from verdicts v where v.candidate_id = c.id order by v.created_at limit 1),
                       (select s.value from scores s where s.candidate_id = c.id and s.scorer = :scorer)
                from candidates c where c.run_id = :id order by c.idx""")
                .param("id", runId).param("scorer", run.scorer() == null ? "" : run.scorer())
                .query((rs, i) -> new CandidateFacts(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getLong(4), (Double) rs.getObject(5), rs.getString(6), rs.getBoolean(7), rs.getString(8),
                        rs.getString(9), rs.getString(10), (Double) rs.getObject(11)))
                .list();
        Map<String, Boolean> byText = new HashMap<>();
        List<GradedSample> samples = new ArrayList<>();
        Boolean selectedCorrect = null;
        String selectedAnswer = null;
        Double selectedScore = null;
        for (CandidateFacts c : candidates) {
            String answer = c.extracted() != null && !c.extracted().isBlank() ? Answers.normalise(c.extracted())
                    : Answers.extract(c.text());
            // identical texts (common when samples agree) are graded once: SQL and code grading runs something
            Boolean correct = byText.computeIfAbsent(c.text(), t -> grader.correct(item, t, answer));
            if (c.id().equals(run.selected())) {
                selectedCorrect = correct;
                selectedAnswer = answer;
                selectedScore = c.score();
            }
            if ("GENERATE".equals(c.role()) && c.complete()) {
                samples.add(new GradedSample(c.index(), answer, Boolean.TRUE.equals(correct),
                        c.verdict() == null || "ERROR".equals(c.verdict()) ? null : "PASS".equals(c.verdict()),
                        c.score(), c.logprob(), c.tokens(), temperature(c.label(), run.temperature())));
            }
        }
        if (run.selected() == null || !"SUCCEEDED".equals(run.status())) {
            selectedCorrect = null;
        } else if (selectedCorrect == null && item.reference() != null) {
            selectedCorrect = false;
        }
        return new GradedRun(item.id(), arm, seed, run.status(), selectedCorrect, run.tokens(), run.flops(),
                run.calls(), samples, selectedCorrect == null ? null : selectedAnswer, selectedScore);
    }

    private static final java.util.regex.Pattern TEMPERATURE = java.util.regex.Pattern.compile(
            "(?:^|/)t\\d+=([0-9]+(?:\\.[0-9]+)?)(?:/|$)");

    /** A candidate's temperature: its label's {@code t<k>=<T>} (temperature lists), else the run's. */
    static Double temperature(String label, Double runTemperature) {
        var m = TEMPERATURE.matcher(label == null ? "" : label);
        return m.find() ? Double.valueOf(m.group(1)) : runTemperature;
    }

    private record RunFacts(String status, UUID selected, String scorer, long tokens, long calls, BigDecimal flops,
                            Double temperature) {
    }

    private record CandidateFacts(UUID id, int index, String text, long tokens, Double logprob, String role,
                                  boolean complete, String label, String verdict, String extracted, Double score) {
    }
}
