package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property test of the real engine (result applier, budgets, inbox, re-dispatch) over PostgreSQL: many runs of every
 * strategy are driven by results delivered in random order, twice, late (for an attempt that was since re-sent),
 * failed, or never (expired), and afterwards every run has ended, no budget is overspent or still reserved, and every
 * job's usage and candidates were recorded exactly once.
 */
@OrchestratorIT(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "verigen.orchestrator.timeout-sweep-interval=1h",
        kafkaPartitions = 1)
class EngineInvariantsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request per strategy; budgets are tight so that some runs hit them. */
    static final List<String> PIPELINES = List.of(
            """
            {"strategy": "best_of_n", "n": 6, "model": "sim-math", "verifier": "numeric", "rewardModel": "sim-orm",
             "maxTokens": 40}""",
            """
            {"strategy": "self_consistency", "n": 8, "model": "sim-math", "maxTokens": 40,
             "options": {"temperatures": [0.5, 1.0], "adaptive": {"batch": 2, "confidence": 0.9}}}""",
            """
            {"strategy": "first_finish", "n": 4, "model": "sim-math", "maxTokens": 40}""",
            """
            {"strategy": "beam_search", "model": "sim-math", "maxTokens": 40,
             "options": {"beamWidth": 2, "expansions": 2, "maxSteps": 4, "prm": "sim-prm:last"}}""",
            """
            {"strategy": "particle_filter", "n": 4, "model": "sim-math", "maxTokens": 40,
             "options": {"maxSteps": 4, "prm": "sim-prm:last"}}""",
            """
            {"strategy": "iad", "n": 3, "model": "sim-math", "verifier": "numeric", "rewardModel": "sim-orm",
             "maxTokens": 40, "options": {"maxRounds": 3, "critique": true}}""",
            """
            {"strategy": "archon", "model": "sim-math", "rewardModel": "sim-orm", "maxTokens": 40,
             "options": {"layers": [[{"type": "generator", "samples": 3}], [{"type": "critic"}],
                                    [{"type": "ranker", "topK": 2}], [{"type": "fuser"}]]}}""");

    @Autowired
    RunRequestParser parser;
    @Autowired
    RunService service;
    @Autowired
    ResultApplier applier;
    @Autowired
    JobTimeouts timeouts;
    @Autowired
    JdbcClient jdbc;

    private record Job(UUID jobId, String kind, int attempt, byte[] payload) {
    }

    @Test
    void everyRunEndsWithinBudgetAndEveryResultCountsOnce() {
        List<UUID> runs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20261124);
        for (int i = 0; i < 5 * PIPELINES.size(); i++) {
            String pipeline = PIPELINES.get(i % PIPELINES.size());
            long maxTokens = 1_000 + random.nextInt(3_000);
            String body = "{\"pipeline\": " + pipeline.strip().substring(0, pipeline.strip().length() - 1)
                    + ", \"seed\": " + i + "}"
                    + ", \"input\": {\"prompt\": \"What is 6 * 7?\", \"reference\": \"42\"}"
                    + ", \"budget\": {\"maxTokens\": " + maxTokens + ", \"maxCalls\": 60}}";
            CreateRun request = parser.parse(JSON.readTree(body), i);
            runs.add(service.create("default", request, null, "h" + i).id());
        }

        int rounds = 0;
        for (List<Job> open = openJobs(); !open.isEmpty(); open = openJobs()) {
            assertThat(++rounds).as("the runs must end").isLessThan(5_000);
            Job job = open.get(random.nextInt(open.size()));
            double draw = random.nextDouble();
            if (draw < 0.08) {
                timeouts.resend(job.jobId()); // the job was lost: send it again, attempt + 1
            } else if (draw < 0.12) {
                applier.expire(job.jobId(), new JobError("job_timeout", "lost", true));
            } else {
                boolean fail = draw < 0.17;
                deliver(job, job.attempt(), fail, random);
                if (random.nextDouble() < 0.3) {
                    deliver(job, job.attempt(), fail, random); // at-least-once: the same result again
                }
                if (job.attempt() > 1 && random.nextDouble() < 0.5) {
                    deliver(job, job.attempt() - 1, false, random); // a late answer to the replaced attempt
                }
            }
        }

        List<String> statuses = new ArrayList<>();
        long late = 0;
        for (UUID run : runs) {
            assertThat(jdbc.sql("select status from runs where id = :id").param("id", run).query(String.class).single())
                    .isNotEqualTo("RUNNING");
            Map<String, Object> b = jdbc.sql("""
                    select max_tokens, used_tokens, reserved_tokens, max_calls, used_calls, reserved_calls,
                           overrun_tokens
                      from budgets where run_id = :id""").param("id", run).query().singleRow();
            assertThat((Long) b.get("used_tokens")).isLessThanOrEqualTo((Long) b.get("max_tokens"));
            assertThat((Long) b.get("used_calls")).isLessThanOrEqualTo((Long) b.get("max_calls"));
            assertThat((Long) b.get("reserved_tokens")).isZero();
            assertThat((Long) b.get("reserved_calls")).isZero();
            // one usage row per step at most apart from late results (booked, never decided on), and the budget holds
            // exactly what they all add up to: used within the cap, the rest as overrun
            assertThat(jdbc.sql("""
                    select count(*) from usage where run_id = :id and not late group by step_id having count(*) > 1""")
                    .param("id", run).query(Long.class).list()).isEmpty();
            long generationTokens = jdbc.sql("""
                    select coalesce(sum(prompt_tokens + completion_tokens), 0) from usage
                     where run_id = :id and kind = 'GENERATION'""").param("id", run).query(Long.class).single();
            assertThat((Long) b.get("used_tokens") + (Long) b.get("overrun_tokens")).isEqualTo(generationTokens);
            late += jdbc.sql("select count(*) from usage where run_id = :id and late").param("id", run)
                    .query(Long.class).single();
            // candidates came once per applied generation result (a cancelled step's result is booked, not recorded)
            long candidates = jdbc.sql("select count(*) from candidates where run_id = :id").param("id", run)
                    .query(Long.class).single();
            long completion = jdbc.sql("""
                    select coalesce(sum(u.completion_tokens), 0) from usage u join steps s on s.id = u.step_id
                     where u.run_id = :id and u.kind = 'GENERATION' and s.status <> 'CANCELLED' and not u.late""")
                    .param("id", run).query(Long.class).single();
            assertThat(candidates * 5).as("5 completion tokens per recorded candidate").isEqualTo(completion);
            statuses.add(jdbc.sql("select status from runs where id = :id").param("id", run).query(String.class).single());
        }
        assertThat(late).as("late answers to replaced attempts were booked, not lost").isPositive();
        // chaos notwithstanding, most runs answer (failures and lost jobs are rare enough to be absorbed)
        assertThat(statuses).filteredOn("SUCCEEDED"::equals).hasSizeGreaterThan(statuses.size() / 2);
    }

    private List<Job> openJobs() {
        return jdbc.sql("""
                select job_id, kind, attempt, payload from steps
                 where status = 'PENDING' or (status = 'CANCELLED' and completed_at is null)""")
                .query((rs, i) -> new Job(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getBytes(4)))
                .list();
    }

    private void deliver(Job job, int attempt, boolean fail, SplittableRandom random) {
        JobError error = fail ? new JobError("engine_error", "simulated", true) : null;
        switch (job.kind()) {
            case "GENERATION" -> {
                var g = Json.read(job.payload(), GenerationJob.class);
                List<GenerationResult.Sample> samples = new ArrayList<>();
                for (int i = 0; i < (fail ? 0 : g.n()); i++) {
                    String text = (g.partial() == null ? "" : "") + "Step 1: 6 * 7 = " + (random.nextDouble() < 0.5 ? 42 : 41)
                            + ".\nAnswer: " + (random.nextDouble() < 0.5 ? 42 : 41);
                    samples.add(new GenerationResult.Sample(i, text, "stop", 5, -1.0));
                }
                applier.apply(new GenerationResult(meta(g.meta(), attempt), g.pool(), "scripted", samples,
                        new Usage(10, 5L * samples.size(), fail ? 1 : g.n(), 1, 1), error));
            }
            case "VERIFICATION" -> {
                var v = Json.read(job.payload(), VerificationJob.class);
                List<Verdict> verdicts = v.candidates().stream().map(c -> new Verdict(c.candidateId(),
                        c.text().endsWith("Answer: 42") ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL, null, "x")).toList();
                applier.apply(new VerificationResult(meta(v.meta(), attempt), v.verifier().type(),
                        fail ? List.of() : verdicts, Usage.ZERO, error));
            }
            case "SCORING" -> {
                var s = Json.read(job.payload(), ScoringJob.class);
                assertThat(s.seed()).as("a seeded run's scoring job carries a seed: its judge replays alike").isNotNull();
                List<Score> scores = s.candidates().stream()
                        .map(c -> new Score(c.candidateId(), random.nextDouble())).toList();
                applier.apply(new ScoringResult(meta(s.meta(), attempt), s.scorer(), fail ? List.of() : scores,
                        new Usage(0, 0, s.candidates().size(), 1, 1), error));
            }
            default -> throw new IllegalStateException(job.kind());
        }
    }

    private static JobMeta meta(JobMeta sent, int attempt) {
        return new JobMeta(sent.jobId(), sent.runId(), sent.stepId(), attempt, sent.tenant(), sent.reservation(),
                sent.deadline());
    }
}
