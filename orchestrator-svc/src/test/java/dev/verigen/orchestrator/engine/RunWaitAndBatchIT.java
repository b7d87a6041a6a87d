package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.orchestrator.runs.RunCompletions;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GET /v1/runs/{id}?wait= (long-poll) and POST /v1/runs:batch, over real PostgreSQL, Kafka and HTTP. */
@OrchestratorIT
class RunWaitAndBatchIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RUN = """
            {"pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math", "verifier": "numeric",
                          "rewardModel": "sim-orm", "maxTokens": 50, "seed": 1},
             "input": {"prompt": "What is 40 + 2?", "reference": "42"},
             "budget": {"maxTokens": 5000, "maxCalls": 20}}""";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    RunCompletions completions;

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
    void aBatchStartsEveryRunOnceAndALongPollAnswersWhenEachEnds() throws Exception {
        String tag = UUID.randomUUID().toString();
        String batch = batch(item(RUN, "a-" + tag), item(RUN.replace("40 + 2", "41 + 1"), "b-" + tag), item(RUN, null));
        HttpResponse<String> created = post("/v1/runs:batch", batch);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode runs = JSON.readTree(created.body()).get("runs");
        assertThat(runs).hasSize(3);
        List<String> ids = new ArrayList<>();
        runs.forEach(r -> {
            assertThat(r.get("idempotentReplayed").asBoolean()).isFalse();
            assertThat(r.at("/links/self").stringValue()).isEqualTo("/v1/runs/" + r.get("id").stringValue());
            ids.add(r.get("id").stringValue());
        });
        assertThat(ids).doesNotHaveDuplicates();

        for (String id : ids) {
            // one request per run, answered once it has ended: no polling
            HttpResponse<String> waited = get("/v1/runs/" + id + "?wait=30s");
            assertThat(waited.statusCode()).isEqualTo(200);
            JsonNode run = JSON.readTree(waited.body());
            assertThat(run.get("status").stringValue()).isEqualTo("SUCCEEDED");
            assertThat(run.get("candidates")).hasSize(3);
            assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
        }

        // the same batch again: the keyed runs are the ones the first started, the unkeyed one is new
        JsonNode again = JSON.readTree(post("/v1/runs:batch", batch).body()).get("runs");
        assertThat(again.get(0).get("id").stringValue()).isEqualTo(ids.get(0));
        assertThat(again.get(0).get("idempotentReplayed").asBoolean()).isTrue();
        assertThat(again.get(1).get("id").stringValue()).isEqualTo(ids.get(1));
        assertThat(again.get(2).get("idempotentReplayed").asBoolean()).isFalse();
        assertThat(get("/v1/runs/" + again.get(2).get("id").stringValue() + "?wait=30s").body()).contains("SUCCEEDED");
    }

    @Test
    void aBatchWithOneInvalidOrConflictingItemStartsNothingAndNamesTheItem() throws Exception {
        long before = jdbc.sql("select count(*) from runs").query(Long.class).single();
        String tag = UUID.randomUUID().toString();

        HttpResponse<String> invalid = post("/v1/runs:batch",
                batch(item(RUN, "x-" + tag), item(RUN.replace("\"n\": 3", "\"n\": -3"), "y-" + tag)));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("field").stringValue()).isEqualTo("runs[1].pipeline.n");
        assertThat(post("/v1/runs:batch", "{\"runs\": []}").statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(post("/v1/runs:batch", "{\"runs\": [], \"extra\": 1}").body()).get("field")
                .stringValue()).isEqualTo("extra");
        assertThat(jdbc.sql("select count(*) from runs").query(Long.class).single()).isEqualTo(before);

        // a key already used for another request: 409 naming the item, and the batch's other run is not started
        String used = "used-" + tag;
        String first = JSON.readTree(post("/v1/runs:batch", batch(item(RUN, used))).body()).at("/runs/0/id")
                .stringValue();
        HttpResponse<String> conflict = post("/v1/runs:batch",
                batch(item(RUN, "fresh-" + tag), item(RUN.replace("40 + 2", "39 + 3"), used)));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).get("field").stringValue()).isEqualTo("runs[1].idempotencyKey");
        assertThat(jdbc.sql("select count(*) from runs where idempotency_key = :k").param("k", "fresh-" + tag)
                .query(Long.class).single()).isZero();
        get("/v1/runs/" + first + "?wait=30s");
    }

    @Test
    void aLongPollAnswersWithTheRunAsItStandsWhenTheWaitPassesAndWakesWhenTheRunIsCancelled() throws Exception {
        String body = RUN.replace("What is 40 + 2?", "What is 40 + 2? " + ScriptedWorkers.UNANSWERED);
        String id = JSON.readTree(post("/v1/runs", body).body()).get("id").stringValue();

        long start = System.nanoTime();
        HttpResponse<String> timedOut = get("/v1/runs/" + id + "?wait=500ms");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(timedOut.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(timedOut.body()).get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(tookMs).as("answered after the wait, not at once").isGreaterThanOrEqualTo(450);

        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/runs/" + id + "?wait=30")).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
        // the cancel lands while the request is parked (a run that ended first is answered at once, a weaker test)
        await().atMost(Duration.ofSeconds(10)).until(() -> completions.waiting() > 0);
        assertThat(post("/v1/runs/" + id + "/cancel", "").statusCode()).isEqualTo(200);
        HttpResponse<String> woken = waiting.get(10, TimeUnit.SECONDS);
        assertThat(JSON.readTree(woken.body()).get("status").stringValue()).isEqualTo("CANCELLED");

        for (String wrong : List.of("31s", "-1s", "soon")) {
            HttpResponse<String> refused = get("/v1/runs/" + id + "?wait=" + wrong);
            assertThat(refused.statusCode()).as(wrong).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("field").stringValue()).isEqualTo("wait");
        }
        assertThat(get("/v1/runs/" + UUID.randomUUID() + "?wait=1s").statusCode()).isEqualTo(404);
    }

    private static String item(String run, String key) {
        return key == null ? run : run.replaceFirst("\\{", "{\"idempotencyKey\": \"" + key + "\", ");
    }

    private static String batch(String... items) {
        return "{\"runs\": [" + String.join(", ", items) + "]}";
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
