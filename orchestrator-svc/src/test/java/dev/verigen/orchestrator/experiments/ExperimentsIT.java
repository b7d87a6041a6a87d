package dev.verigen.orchestrator.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.orchestrator.engine.ScriptedWorkers;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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

/**
 * Experiments over real PostgreSQL, Kafka and HTTP, with scripted workers whose samples are "Answer: 41", "42", "43"
 * (in that order), scored by their last digit / 10 and passed by the verifier when they contain the reference. So
 * per arm the right answers are known exactly: the verifier always finds the reference, a majority of three
 * singletons takes the first (41), the reward model takes the highest (43).
 */
@OrchestratorIT
class ExperimentsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ITEMS = """
            [{"id": "a", "prompt": "Which number? (a)", "reference": "41"},
             {"id": "b", "prompt": "Which number? (b)", "reference": "42"},
             {"id": "c", "prompt": "Which number? (c)", "reference": "43"}]""";
    private static final String PIPELINES = """
            [{"name": "verified", "pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math",
                                              "verifier": "numeric", "maxTokens": 20}},
             {"name": "majority", "pipeline": {"strategy": "self_consistency", "n": 3, "model": "sim-math",
                                              "maxTokens": 20}},
             {"name": "orm", "pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math",
                                         "rewardModel": "sim-orm", "maxTokens": 20}}]""";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.experiments.tick-interval", () -> "100ms");
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
    void everyArmIsRunGradedAndMeasuredOnTheSameItemsAndSeeds() throws Exception {
        var created = post("/v1/experiments", """
                {"name": "three arms", "dataset": {"items": %s}, "pipelines": %s, "seeds": [1, 2], "concurrency": 4}"""
                .formatted(ITEMS, PIPELINES));
        assertThat(created.statusCode()).isEqualTo(202);
        UUID id = UUID.fromString(json(created).get("id").asString());

        JsonNode finished = awaitStatus(id, "SUCCEEDED");
        for (JsonNode arm : finished.get("arms")) {
            assertThat(arm.get("planned").asLong()).isEqualTo(6);
            assertThat(arm.get("succeeded").asLong()).isEqualTo(6);
            assertThat(arm.get("graded").asLong()).isEqualTo(6);
        }
        assertThat(jdbc.sql("select count(*) from runs where experiment_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(18);
        // the list says enough for a table of experiments (the dashboard's): items and arms
        JsonNode listed = null;
        for (JsonNode e : get("/v1/experiments")) {
            if (e.get("id").asString().equals(id.toString())) {
                listed = e;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("items").asInt()).isEqualTo(3);
        assertThat(listed.get("arms").valueStream().map(JsonNode::asString).toList())
                .containsExactly("verified", "majority", "orm");

        Map<String, JsonNode> arms = arms(get("/v1/experiments/" + id + "/results"));
        assertThat(arms.get("verified").get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(arms.get("majority").get("accuracy").asDouble()).isCloseTo(1.0 / 3, within());
        assertThat(arms.get("orm").get("accuracy").asDouble()).isCloseTo(1.0 / 3, within());
        for (JsonNode arm : arms.values()) {
            assertThat(arm.get("runs").asInt()).isEqualTo(6);
            // one right sample in three, whatever the arm selects
            assertThat(passAt(arm, 1)).isCloseTo(1.0 / 3, within());
            assertThat(passAt(arm, 3)).isCloseTo(1.0, within());
            assertThat(arm.get("tokensTotal").asLong()).isPositive();
        }
        // the verifier saw every sample: it passed exactly the right ones
        assertThat(arms.get("verified").get("verifier").get("falsePositives").asLong()).isZero();
        assertThat(arms.get("majority").get("verifier").isNull()).isTrue();

        var csv = http.send(HttpRequest.newBuilder(uri("/v1/experiments/" + id + "/results.csv")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).hasSize(4);
        assertThat(csv.body().lines().skip(1).map(l -> l.split(",")[0]).toList())
                .containsExactly("verified", "majority", "orm");
        var table = http.send(HttpRequest.newBuilder(uri("/v1/experiments/" + id + "/results.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(table.body()).contains("verified").contains("majority").contains("three arms");
    }

    @Test
    void aComputeOptimalArmBuysPilotsThenMoreWithinItsBatchBudgetAndLearnsCurves() throws Exception {
        var refused = post("/v1/experiments", """
                {"dataset": {"items": %s}, "pipelines": [{"name": "co", "pipeline": {"strategy": "compute_optimal",
                 "model": "sim-math", "rewardModel": "sim-orm", "options": {"pilotSamples": 0}}}]}""".formatted(ITEMS));
        assertThat(fields(json(refused))).contains("budgets[0].maxTokens", "pipelines[0].pipeline.options.pilotSamples");

        var created = post("/v1/experiments", """
                {"name": "allocation", "dataset": {"items": %s}, "seeds": [1, 2, 3], "concurrency": 8,
                 "budgets": [{"name": "2k", "maxTokens": 2000}],
                 "pipelines": [
                   {"name": "co", "pipeline": {"strategy": "compute_optimal", "model": "sim-math", "rewardModel": "sim-orm",
                    "options": {"pilotSamples": 4, "maxSamples": 16, "sampleMaxTokens": 20}}},
                   {"name": "sc-16", "pipeline": {"strategy": "self_consistency", "n": 16, "model": "sim-math",
                    "rewardModel": "sim-orm", "maxTokens": 20}}]}""".formatted(ITEMS));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        UUID id = UUID.fromString(json(created).get("id").asString());
        awaitStatus(id, "SUCCEEDED");

        // every item got its pilot first (tag r0, 4 samples), under every seed
        assertThat(jdbc.sql("""
                select count(*) from experiment_runs where experiment_id = :id and arm = 'co' and tag = 'r0'""")
                .param("id", id).query(Long.class).single()).isEqualTo(9);
        // the batch never spends more than items x the per-item budget
        for (long seed = 1; seed <= 3; seed++) {
            long spent = jdbc.sql("""
                    select coalesce(sum(b.used_tokens), 0) from experiment_runs er join budgets b on b.run_id = er.run_id
                    where er.experiment_id = :id and er.arm = 'co' and er.seed = :seed""")
                    .param("id", id).param("seed", seed).query(Long.class).single();
            assertThat(spent).isPositive().isLessThanOrEqualTo(3 * 2000);
        }
        JsonNode co = arms(get("/v1/experiments/" + id + "/results")).get("co");
        assertThat(co.get("runs").asInt()).as("one result per item and seed").isEqualTo(9);
        assertThat(co.get("passAtK").get(0).get("k").asInt()).isEqualTo(1);
        // what the experiment showed is stored for the next one on this pool and dataset
        assertThat(jdbc.sql("""
                select observations from scaling_curves where pool = 'sim-math' and suite = 'inline'
                and strategy = 'compute_optimal'""").query(Integer.class).single()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void anUploadedDatasetIsReferencedByIdAndBadLinesAreNamed() throws Exception {
        var bad = http.send(HttpRequest.newBuilder(uri("/v1/datasets?name=bad"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "x", "prompt": "p", "reference": "41"}
                        not json
                        {"id": "x", "prompt": "q"}
                        {"id": "y", "prompt": "r", "task": "poetry"}
                        """)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(fields(json(bad))).contains("body[line 2]", "body[line 3].id", "body[line 4].task");
        assertThat(jdbc.sql("select count(*) from datasets").query(Long.class).single()).isZero();

        var upload = http.send(HttpRequest.newBuilder(uri("/v1/datasets?name=mine"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "one", "prompt": "Which number? (one)", "reference": "42"}
                        {"id": "two", "prompt": "Which number? (two)", "reference": "42"}
                        """)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(201);
        String dataset = json(upload).get("id").asString();

        var created = post("/v1/experiments", """
                {"dataset": {"id": "%s"}, "pipelines": [{"name": "v", "pipeline": {"strategy": "best_of_n", "n": 3,
                 "model": "sim-math", "verifier": "numeric", "maxTokens": 20}}]}""".formatted(dataset));
        UUID id = UUID.fromString(json(created).get("id").asString());
        JsonNode done = awaitStatus(id, "SUCCEEDED");
        assertThat(done.get("name").asString()).isEqualTo("mine");
        assertThat(arms(get("/v1/experiments/" + id + "/results")).get("v").get("accuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void invalidExperimentsAreRefusedWithEveryFieldAndChangeNothing() throws Exception {
        long before = jdbc.sql("select count(*) from experiments").query(Long.class).single();
        var refused = post("/v1/experiments", """
                {"dataset": {"items": [{"id": "a", "prompt": "p"}, {"id": "a", "prompt": "q"}]},
                 "pipelines": [{"name": "x", "pipeline": {"strategy": "nope", "model": "sim-math"}}],
                 "budgets": [{"maxTokens": -5}], "seeds": [1, 1], "concurrency": 100000, "colour": "red"}""");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(fields(json(refused))).contains("dataset.items[1].id", "budgets[0].maxTokens", "seeds[1]",
                "concurrency", "colour");

        var unknownSuite = post("/v1/experiments", """
                {"dataset": {"suite": "nope"}, "pipelines": [{"pipeline": {"strategy": "best_of_n",
                 "model": "sim-math"}}]}""");
        assertThat(fields(json(unknownSuite))).containsExactly("dataset.suite");

        // the pipeline is checked as its runs will be: every item, with the field renamed into the experiment
        var badPipeline = post("/v1/experiments", """
                {"dataset": {"suite": "sim-math", "limit": 3},
                 "pipelines": [{"pipeline": {"strategy": "best_of_n", "model": "gpt-9", "n": 0}}]}""");
        assertThat(fields(json(badPipeline))).contains("pipelines[0].pipeline.model", "pipelines[0].pipeline.n");

        var malformed = http.send(HttpRequest.newBuilder(uri("/v1/experiments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset\": ")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(get404("/v1/experiments/" + UUID.randomUUID())).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from experiments").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void aCancelledExperimentStopsItsRunsAndResumesWhereItStopped() throws Exception {
        var created = post("/v1/experiments", """
                {"dataset": {"items": [{"id": "h1", "prompt": "Which number? [hold] 1", "reference": "42"},
                                       {"id": "h2", "prompt": "Which number? [hold] 2", "reference": "42"},
                                       {"id": "h3", "prompt": "Which number? [hold] 3", "reference": "42"}]},
                 "pipelines": [{"name": "v", "pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math",
                                                         "verifier": "numeric", "maxTokens": 20}}],
                 "concurrency": 2}""");
        UUID id = UUID.fromString(json(created).get("id").asString());
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.heldJobs() == 2);
        // concurrency holds: two runs in flight, the third waits
        assertThat(get("/v1/experiments/" + id).get("arms").get(0).get("started").asLong()).isEqualTo(2);

        assertThat(json(post("/v1/experiments/" + id + "/cancel", "")).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("select count(*) from runs where experiment_id = :id and status = 'CANCELLED'")
                .param("id", id).query(Long.class).single()).isEqualTo(2);
        workers.release();

        assertThat(json(post("/v1/experiments/" + id + "/resume", "")).get("status").asString()).isEqualTo("RUNNING");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            workers.release();
            return "SUCCEEDED".equals(get("/v1/experiments/" + id).get("status").asString());
        });
        JsonNode results = get("/v1/experiments/" + id + "/results");
        assertThat(arms(results).get("v").get("runs").asInt()).isEqualTo(3);
        assertThat(arms(results).get("v").get("accuracy").asDouble()).isEqualTo(1.0);
        // the cancelled runs' spend stays with the experiment
        assertThat(jdbc.sql("select count(*) from runs where experiment_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(5);
    }

    private JsonNode awaitStatus(UUID id, String status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/experiments/" + id), v -> status.equals(v.get("status").asString()));
    }

    private static Map<String, JsonNode> arms(JsonNode results) {
        Map<String, JsonNode> byName = new HashMap<>();
        results.get("report").get("arms").forEach(a -> byName.put(a.get("arm").asString(), a));
        return byName;
    }

    private static double passAt(JsonNode arm, int k) {
        for (JsonNode point : arm.get("passAtK")) {
            if (point.get("k").asInt() == k) {
                return point.get("value").asDouble();
            }
        }
        throw new AssertionError("no pass@" + k + " in " + arm);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private static java.util.List<String> fields(JsonNode problem) {
        java.util.List<String> fields = new java.util.ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private int get404(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
