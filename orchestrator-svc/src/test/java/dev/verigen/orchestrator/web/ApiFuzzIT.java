package dev.verigen.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.Topics;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.contracts.testing.fuzz.FuzzFindings;
import dev.verigen.orchestrator.engine.ScriptedWorkers;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import dev.verigen.support.access.IdentityHeaders;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every public endpoint of the orchestrator under a few thousand hostile requests ({@link FuzzTable}; real HTTP,
 * PostgreSQL and Kafka): no 5xx, every refusal a problem+json without internals, and no refusal changes anything in
 * the database ({@link StateSnapshot} before and after each one). There are no workers, so runs that valid mutations
 * start stay inert, and experiments they start are cancelled at once; chat completions, which wait for their run,
 * come last, with scripted workers. Also: another tenant's ids are 404 without data. {@code -Dverigen.fuzz.seed=N}
 * draws other mutations.
 */
@OrchestratorIT(properties = "verigen.orchestrator.timeout-sweep-interval=1h")
class ApiFuzzIT {

    private static final Logger log = LoggerFactory.getLogger(ApiFuzzIT.class);
    private static final long SEED = Long.getLong("verigen.fuzz.seed", 20_260_601L);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    TestDatabase db;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int accepted;

    @Test
    void hostileRequestsGetCleanProblemsAndChangeNothing() throws Exception {
        StateSnapshot empty = StateSnapshot.take(jdbc);
        Map<String, String> ids = baseResources("fuzz");
        assertThat(empty.diff(StateSnapshot.take(jdbc))).as("the snapshot sees what accepted requests change")
                .containsKeys("runs", "runs_cancelled", "steps", "datasets", "dataset_items", "experiments",
                        "outbox_sequence");
        FuzzFindings findings = new FuzzFindings(List.of(InetAddress.getLocalHost().getHostName(),
                InetAddress.getLocalHost().getCanonicalHostName(), db.name()));
        var state = new AtomicReference<>(StateSnapshot.take(jdbc));
        List<FuzzTable> table = FuzzTable.endpoints();
        List<FuzzTable> later = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long started = System.nanoTime();
        for (FuzzTable e : table) {
            if (e.withWorkers()) {
                later.add(e);
            } else if (e.pending() && !routed(e, ids, findings, state)) {
                skipped.add(e.toString());
            } else {
                FuzzRequest.of(e, ids, SEED).forEach(r -> exchange(r, findings, state));
            }
        }
        FuzzRequest.otherMethods(table, ids).forEach(r -> exchange(r, findings, state));
        if (!later.isEmpty()) {
            // the workers answer only jobs sent from now on: earlier runs' results would change the state meanwhile
            jdbc.sql("select id from runs where status = 'RUNNING'").query(UUID.class).list()
                    .forEach(id -> send("POST", "/v1/runs/" + id + "/cancel", null, null, Map.of()));
            skipJobsSentSoFar();
            try (var workers = new ScriptedWorkers(kafka.getBrokersAsString())) {
                state.set(quiescent());
                for (FuzzTable e : later) {
                    if (e.pending() && !routed(e, ids, findings, state)) {
                        skipped.add(e.toString());
                    } else {
                        FuzzRequest.of(e, ids, SEED).forEach(r -> exchange(r, findings, state));
                    }
                }
            }
        }
        log.info("fuzzed {} requests in {} ms: statuses {}, {} accepted; skipped (not routed yet): {}",
                findings.responses(), (System.nanoTime() - started) / 1_000_000, statuses, accepted, skipped);
        assertThat(findings.all()).as("findings").isEmpty();
        assertThat(findings.responses()).isGreaterThan(3_000);
        assertThat(accepted).as("some mutations are valid requests, and were taken").isPositive();
    }

    @Test
    void anotherTenantsIdsAreNotFoundAndShowNothing() throws Exception {
        Map<String, String> ids = baseResources("isolation");
        jdbc.sql("insert into tenants (id, name) values ('other', 'Other') on conflict do nothing").update();
        Map<String, String> asOther = Map.of(IdentityHeaders.TENANT, "other", IdentityHeaders.KEY_ID, "otherkey0001");
        StateSnapshot before = StateSnapshot.take(jdbc);
        List<String> paths = new ArrayList<>();
        for (String p : List.of("/v1/runs/{run}", "/v1/runs/{run}/trace", "/v1/runs/{run}/events",
                "/v1/datasets/{dataset}", "/v1/experiments/{experiment}", "/v1/experiments/{experiment}/results",
                "/v1/experiments/{experiment}/results.csv", "/v1/experiments/{experiment}/results.txt",
                "/v1/experiments/{experiment}/runs")) {
            paths.add("GET " + FuzzRequest.fill(p, ids, null, null));
        }
        for (String p : List.of("/v1/runs/{run}/cancel", "/v1/experiments/{experiment}/cancel",
                "/v1/experiments/{experiment}/resume")) {
            paths.add("POST " + FuzzRequest.fill(p, ids, null, null));
        }
        paths.add("GET /v1/pipelines/" + ids.get("pipeline"));
        paths.add("GET /v1/models/" + ids.get("pipeline"));
        paths.add("DELETE /v1/pipelines/" + ids.get("pipeline"));
        for (String request : paths) {
            String[] parts = request.split(" ", 2);
            HttpResponse<byte[]> response = send(parts[0], parts[1], null, null, asOther);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(request + ": " + body).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(body).get("type").stringValue()).startsWith("urn:verigen:problem:")
                    .endsWith("not-found");
            // the name asked for may be quoted back; nothing of what it names may be
            assertThat(body.replace(ids.get("pipeline"), "")).as(request)
                    .doesNotContain("isolation", "What is", "best_of_n", "fuzzed");
        }
        for (String list : List.of("/v1/datasets", "/v1/experiments", "/v1/pipelines", "/v1/models")) {
            HttpResponse<byte[]> response = send("GET", list, null, null, asOther);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(list).isEqualTo(200);
            assertThat(body).as(list).doesNotContain(ids.get("dataset"), ids.get("experiment"), "isolation");
        }
        assertThat(before.diff(StateSnapshot.take(jdbc))).as("what the other tenant's requests changed").isEmpty();
        JsonNode run = JSON.readTree(send("GET", "/v1/runs/" + ids.get("run"), null, null, Map.of()).body());
        assertThat(run.get("status").stringValue()).as("still the default tenant's, as it was").isEqualTo("CANCELLED");
        assertThat(send("GET", "/v1/pipelines/" + ids.get("pipeline"), null, null, Map.of()).statusCode())
                .as("the default tenant's saved pipeline is still there").isEqualTo(200);
    }

    /** A cancelled run, a dataset and a cancelled experiment of the default tenant, named after {@code label}. */
    private Map<String, String> baseResources(String label) {
        Map<String, String> ids = new HashMap<>(Map.of("tenant", "default", "suite", "sim-math", "model", "sim-math",
                "pipeline", label + "-pipeline", "key", "abcdefghijkl"));
        ids.put("run", created(send("POST", "/v1/runs", FuzzTable.JSON, FuzzTable.RUN.replace("What is", label
                + " What is"), Map.of())));
        send("POST", "/v1/runs/" + ids.get("run") + "/cancel", null, null, Map.of());
        ids.put("dataset", created(send("POST", "/v1/datasets", FuzzTable.JSON,
                FuzzTable.DATASET_ITEMS.replace("fuzz", label), Map.of())));
        ids.put("experiment", created(send("POST", "/v1/experiments", FuzzTable.JSON,
                FuzzTable.EXPERIMENT.replace("fuzz", label), Map.of())));
        send("POST", "/v1/experiments/" + ids.get("experiment") + "/cancel", null, null, Map.of());
        HttpResponse<byte[]> key = send("POST", "/v1/tenants/default/keys", FuzzTable.JSON, FuzzTable.KEY, Map.of());
        if (key.statusCode() == 201) {
            ids.put("key", JSON.readTree(key.body()).get("id").stringValue());
        }
        send("PUT", "/v1/pipelines/" + ids.get("pipeline"), FuzzTable.JSON, FuzzTable.SAVED_PIPELINE, Map.of());
        return ids;
    }

    private static String created(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isBetween(200, 299);
        return JSON.readTree(response.body()).get("id").stringValue();
    }

    /**
     * Whether another branch's endpoint is here yet: a valid request that the framework answers 404 "no such
     * resource" or 405 finds no handler. The probe is an ordinary exchange, checked like the rest.
     */
    private boolean routed(FuzzTable e, Map<String, String> ids, FuzzFindings findings,
                           AtomicReference<StateSnapshot> state) {
        var probe = new FuzzRequest(e + " probe", e + " with a valid request", e.method(),
                FuzzRequest.fill(e.template(), ids, null, null), e.contentType(),
                e.example() == null ? null : e.example().getBytes(StandardCharsets.UTF_8), Map.of());
        HttpResponse<byte[]> response = exchange(probe, findings, state);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        boolean missing = response.statusCode() == 405
                || response.statusCode() == 404 && body.contains("\"detail\":\"no such resource\"");
        return !missing;
    }

    private HttpResponse<byte[]> exchange(FuzzRequest r, FuzzFindings findings, AtomicReference<StateSnapshot> state) {
        HttpResponse<byte[]> response = send(r.method(), r.path(), r.contentType(), r.body(), r.headers());
        findings.check(r.family(), r.label(), r.body(), response);
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        // a chat completion refused after its run started (budget exhausted, say) has changed the state, rightly
        boolean ranSomething = response.headers().firstValue("X-Verigen-Run-Id").isPresent();
        if (status >= 400 && status < 500 && !ranSomething) {
            StateSnapshot after = StateSnapshot.take(jdbc);
            Map<String, String> diff = state.get().diff(after);
            if (!diff.isEmpty()) {
                findings.add(r.family(), "state changed by a refused request (" + status + ") " + r + ": " + diff);
            }
            state.set(after);
        } else {
            if (status < 400 || ranSomething) {
                accepted++;
            }
            state.set(settle());
        }
        return response;
    }

    /**
     * After an accepted request: an experiment it started (or resumed) is cancelled, so that the scheduler creates
     * no runs behind the test's back, and the database is read once it has stopped moving.
     */
    private StateSnapshot settle() {
        List<UUID> running = jdbc.sql("select id from experiments where status = 'RUNNING'").query(UUID.class).list();
        running.forEach(id -> send("POST", "/v1/experiments/" + id + "/cancel", null, null, Map.of()));
        return running.isEmpty() ? StateSnapshot.take(jdbc) : quiescent();
    }

    /** Commits the end of every job topic for the scripted workers' group, once the outbox has been relayed. */
    private void skipJobsSentSoFar() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.sql("select count(*) from outbox").query(Long.class).single() == 0);
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, ScriptedWorkers.GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.GENERATION_JOBS, Topics.VERIFICATION_JOBS, Topics.SCORING_JOBS,
                    Topics.GENERATION_CANCELS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            partitions.forEach(p -> ends.put(p, new OffsetAndMetadata(consumer.position(p))));
            consumer.commitSync(ends);
        }
    }

    private StateSnapshot quiescent() {
        var last = new AtomicReference<>(StateSnapshot.take(jdbc));
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            StateSnapshot now = StateSnapshot.take(jdbc);
            return last.getAndSet(now).diff(now).isEmpty() ? now : null;
        }, s -> s != null);
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, Object body,
                                      Map<String, String> headers) {
        return new FuzzHttp(http, port).send(method, path, contentType, body, headers);
    }
}
