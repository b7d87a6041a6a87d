package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The orchestrator alone, over real PostgreSQL, real Kafka and real HTTP, with scripted workers. */
@OrchestratorIT
class RunLifecycleIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY = """
            {"pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math", "verifier": "numeric",
                          "rewardModel": "sim-orm", "maxTokens": 50, "seed": 1},
             "input": {"prompt": "What is 40 + 2?", "reference": "42"},
             "budget": {"maxTokens": 5000, "maxCalls": 20}}""";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.timeout-sweep-interval", () -> "200ms");
        registry.add("verigen.orchestrator.timeout-sweep-initial-delay", () -> "0s");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedWorkers workers;

    @BeforeEach
    void startWorkers() {
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        workers.close();
    }

    @Test
    void aRunSelectsTheVerifiedCandidateAndSettlesItsBudgetOnce() throws Exception {
        HttpResponse<String> created = post(BODY, null);
        assertThat(created.statusCode()).isEqualTo(202);
        String id = JSON.readTree(created.body()).get("id").stringValue();
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/runs/" + id);

        JsonNode run = awaitFinished(id);
        assertThat(run.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(run.at("/result/text").stringValue()).isEqualTo("Answer: 42");
        assertThat(run.at("/result/verdict").stringValue()).isEqualTo("PASS");
        assertThat(run.get("candidates")).hasSize(3);
        assertThat(run.get("candidates").findValuesAsString("verdict")).containsExactly("FAIL", "PASS", "FAIL");

        // every result was delivered twice, yet each was applied once
        assertThat(jdbc.sql("select count(*) from usage where run_id = :id").param("id", UUID.fromString(id))
                .query(Long.class).single()).isEqualTo(3);
        assertThat(run.at("/usage/completionTokens").asLong()).isEqualTo(9);
        assertThat(run.at("/usage/calls").asLong()).isEqualTo(6);
        assertThat(run.at("/budget/usedTokens").asLong()).isEqualTo(19);
        assertThat(run.at("/budget/usedCalls").asLong()).isEqualTo(6);
        assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
        assertThat(run.at("/budget/reservedCalls").asLong()).isZero();
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isZero();
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheSameRunAndCreatesNoOther() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        HttpResponse<String> first = post(BODY, key);
        HttpResponse<String> second = post(BODY, key);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(second.body()).get("id")).isEqualTo(JSON.readTree(first.body()).get("id"));
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(jdbc.sql("select count(*) from runs where idempotency_key = :k").param("k", key)
                .query(Long.class).single()).isEqualTo(1);

        HttpResponse<String> reused = post(BODY.replace("40 + 2", "41 + 1"), key);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        awaitFinished(JSON.readTree(first.body()).get("id").stringValue());
    }

    @Test
    void invalidRequestsAreRefusedWithTheFieldAndChangeNothing() throws Exception {
        long runsBefore = jdbc.sql("select count(*) from runs").query(Long.class).single();

        HttpResponse<String> invalid = post(BODY.replace("\"n\": 3", "\"n\": -3"), null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
        JsonNode problem = JSON.readTree(invalid.body());
        assertThat(problem.get("field").stringValue()).isEqualTo("pipeline.n");
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:invalid-request");

        HttpResponse<String> malformed = post("{\"pipeline\": ", null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("malformed-json").doesNotContain("Exception", "at dev.");

        HttpResponse<String> missing = get("/v1/runs/" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("urn:verigen:problem:not-found");

        HttpResponse<String> notAnId = get("/v1/runs/not-a-uuid");
        assertThat(notAnId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notAnId.body()).get("field").stringValue()).isEqualTo("id");

        assertThat(jdbc.sql("select count(*) from runs").query(Long.class).single()).isEqualTo(runsBefore);
    }

    @Test
    void aJobThatIsNeverAnsweredTimesOutAndReturnsItsReservation() throws Exception {
        String body = BODY.replace("What is 40 + 2?", "What is 40 + 2? " + ScriptedWorkers.UNANSWERED)
                .replace("\"seed\": 1", "\"seed\": 1, \"jobTimeoutSeconds\": 1");
        HttpResponse<String> created = post(body, null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode run = awaitFinished(JSON.readTree(created.body()).get("id").stringValue());
        assertThat(run.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(run.at("/error/code").stringValue()).isEqualTo("generation_failed");
        assertThat(run.at("/error/detail").stringValue()).contains("job_timeout");
        assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
        assertThat(run.at("/budget/usedTokens").asLong()).isZero();
    }

    /** Step-wise strategies keep their bookkeeping in the run's memo, stored and reloaded between events. */
    @Test
    void stepWiseStrategiesRunStepByStepThroughTheEngine() throws Exception {
        List<String> pipelines = List.of(
                """
                {"strategy": "beam_search", "options": {"beamWidth": 2, "expansions": 2, "prm": "sim-prm:last"}""",
                """
                {"strategy": "dvts", "options": {"beamWidth": 2, "expansions": 2, "prm": "sim-prm:last"}""",
                """
                {"strategy": "particle_filter", "n": 4, "options": {"prm": "sim-prm:last"}""");
        List<String> ids = new ArrayList<>();
        for (String pipeline : pipelines) {
            String body = pipeline.strip().replaceFirst("^\\{", """
                    {"model": "sim-math", "verifier": "numeric", "rewardModel": "sim-orm", "maxTokens": 50,
                     "seed": 3, """) + """
                    }, "input": {"prompt": "What is 40 + 2?", "reference": "42"},
                     "budget": {"maxTokens": 20000, "maxCalls": 200}}""";
            HttpResponse<String> created = post("{\"pipeline\": " + body, null);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            ids.add(JSON.readTree(created.body()).get("id").stringValue());
        }
        for (String id : ids) {
            JsonNode run = awaitFinished(id);
            assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
            assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
            if (run.at("/pipeline/strategy").stringValue().equals("particle_filter")) {
                // every particle is its own partial, so each job asks for one sample: the scripted "Answer: 41"
                assertThat(run.at("/result/text").stringValue()).isEqualTo("Step 1\nStep 2\nAnswer: 41");
                assertThat(run.at("/result/reason").stringValue()).contains("3 rounds, every particle complete");
            } else {
                // the best children of round 3 are the "Answer: 42"s (PRM 0.2 against 0.1), which verify
                assertThat(run.at("/result/text").stringValue()).isEqualTo("Step 1\nStep 2\nAnswer: 42");
                assertThat(run.at("/result/verdict").stringValue()).isEqualTo("PASS");
                assertThat(run.at("/result/reason").stringValue()).contains("3 rounds, every beam complete");
            }
        }
        // each partial was sent back to be continued: the engine carried it, delimiter included
        assertThat(workers.jobsSeen.stream().filter(GenerationJob.class::isInstance).map(GenerationJob.class::cast)
                .filter(j -> j.partial() != null).map(GenerationJob::partial))
                .contains("Step 1\n", "Step 1\nStep 2\n");
    }

    @Test
    void cancellingARunStopsItsJobsAtTheWorkersAndSettlesWhatTheyGenerated() throws Exception {
        String body = BODY.replace("What is 40 + 2?", "What is 40 + 2? " + ScriptedWorkers.HELD);
        String id = JSON.readTree(post(body, null).body()).get("id").stringValue();
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.heldJobs() == 1);
        JsonNode inFlight = JSON.readTree(get("/v1/runs/" + id).body());
        assertThat(inFlight.at("/budget/reservedTokens").asLong()).isPositive();
        assertThat(inFlight.at("/budget/reservedCalls").asLong()).isEqualTo(3);
        assertThat(inFlight.at("/budget/reservedFlops").asDouble()).isPositive();
        UUID runId = UUID.fromString(id);
        UUID jobId = jdbc.sql("select job_id from steps where run_id = :id").param("id", runId).query(UUID.class)
                .single();

        HttpResponse<String> cancel = post("/v1/runs/" + id + "/cancel", "", null);
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).get("status").stringValue()).isEqualTo("CANCELLED");

        // the cancel reaches the worker, which stops the job and reports the one token a sample it generated
        JsonNode run = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(get("/v1/runs/" + id).body()),
                        r -> r.at("/budget/reservedCalls").asLong() == 0);
        assertThat(workers.cancelsSeen).containsExactly(jobId);
        assertThat(workers.heldJobs()).isZero();
        assertThat(run.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(run.at("/budget/usedTokens").asLong()).isEqualTo(10 + 3);
        assertThat(run.at("/budget/usedCalls").asLong()).isEqualTo(3);
        assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
        assertThat(run.at("/budget/reservedFlops").asDouble()).isZero();
        assertThat(run.at("/budget/usedFlops").asDouble()).isPositive()
                .isEqualTo(run.at("/usage/flops").asDouble());
        // the cancelled step's result is settled, never decided on: no candidates, nothing else dispatched
        assertThat(jdbc.sql("select kind || ':' || status from steps where run_id = :id").param("id", runId)
                .query(String.class).list()).containsExactly("GENERATION:CANCELLED");
        assertThat(jdbc.sql("select count(*) from candidates where run_id = :id").param("id", runId)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from run_events where run_id = :id and type = 'run.finished'")
                .param("id", runId).query(Long.class).single()).isEqualTo(1);
        assertThat(run.get("result").isNull()).isTrue();

        HttpResponse<String> again = post("/v1/runs/" + id + "/cancel", "", null);
        assertThat(JSON.readTree(again.body()).get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(post("/v1/runs/" + UUID.randomUUID() + "/cancel", "", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aPrunedRunScoresSnapshotsMidGenerationAndStopsTheWeakSamples() throws Exception {
        String body = """
                {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math", "rewardModel": "sim-orm",
                              "maxTokens": 50, "seed": 1, "options": {"prune": {"at": 5, "keep": 0.5}}},
                 "input": {"prompt": "What is 40 + 2? [hold]", "reference": "42"},
                 "budget": {"maxTokens": 5000, "maxCalls": 40}}""";
        String id = JSON.readTree(post(body, null).body()).get("id").stringValue();
        UUID runId = UUID.fromString(id);
        // four jobs, each reported "partial 1".."partial 4" at 5 tokens; the snapshots are scored 0.1 .. 0.4
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.cancelsSeen.size() == 2);
        assertThat(jdbc.sql("select count(*) from candidates where run_id = :id and finish_reason = 'partial'")
                .param("id", runId).query(Long.class).single()).as("each snapshot recorded once").isEqualTo(4);
        // the two lowest (partial 1 and 2) were stopped at the workers
        List<UUID> stopped = jdbc.sql("""
                select s.job_id from steps s join candidates c on c.step_id = s.id
                 where s.run_id = :id and c.finish_reason = 'partial' and c.text in ('partial 1', 'partial 2')""")
                .param("id", runId).query(UUID.class).list();
        assertThat(workers.cancelsSeen).containsExactlyInAnyOrderElementsOf(stopped);

        workers.release();
        JsonNode run = awaitFinished(id);
        assertThat(run.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(run.at("/result/reason").stringValue())
                .contains("pruned at 5 tokens by sim-orm: 2 of 4 samples ran on, 2 stopped");
        assertThat(run.at("/result/text").stringValue()).startsWith("Answer: ");
        assertThat(jdbc.sql("select kind || ':' || status from steps where run_id = :id and kind = 'GENERATION'")
                .param("id", runId).query(String.class).list())
                .containsExactlyInAnyOrder("GENERATION:CANCELLED", "GENERATION:CANCELLED", "GENERATION:DONE",
                        "GENERATION:DONE");
        JsonNode done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(get("/v1/runs/" + id).body()),
                        r -> r.at("/budget/reservedCalls").asLong() == 0);
        // two full samples, two stopped after one token each, four prompts
        assertThat(done.at("/budget/usedTokens").asLong()).isEqualTo(4 * 10 + 2 * 3 + 2);
    }

    private JsonNode awaitFinished(String id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(get("/v1/runs/" + id).body()),
                        run -> !run.get("status").stringValue().equals("RUNNING"));
    }

    private HttpResponse<String> post(String body, String idempotencyKey) throws Exception {
        return post("/v1/runs", body, idempotencyKey);
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
