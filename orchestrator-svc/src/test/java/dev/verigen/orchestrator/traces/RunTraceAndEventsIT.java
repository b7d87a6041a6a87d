package dev.verigen.orchestrator.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.orchestrator.engine.ScriptedWorkers;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
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

/** {@code GET /v1/runs/{id}/trace} and {@code GET /v1/runs/{id}/events} over runs driven through the engine. */
@OrchestratorIT
class RunTraceAndEventsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration LIFETIME = Duration.ofSeconds(4);
    private static final String BODY = """
            {"pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math", "verifier": "numeric",
                          "rewardModel": "sim-orm", "maxTokens": 50, "seed": 1},
             "input": {"prompt": "What is 40 + 2?%s", "reference": "42"},
             "budget": {"maxTokens": 5000, "maxCalls": 20}}""";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.events.poll-interval", () -> "50ms");
        registry.add("verigen.orchestrator.events.heartbeat-interval", () -> "1s");
        registry.add("verigen.orchestrator.events.max-lifetime", () -> LIFETIME.toMillis() + "ms");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    EventStreams streams;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedWorkers workers;

    @BeforeEach
    void startWorkers() {
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        workers.release();
        workers.close();
    }

    // ---- trace

    @Test
    void theTraceShowsEveryStepCandidateJudgementAndUsageOfARun() throws Exception {
        String id = start("");
        JsonNode run = awaitFinished(id);
        JsonNode trace = JSON.readTree(get("/v1/runs/" + id + "/trace").body());

        assertThat(trace.get("runId").stringValue()).isEqualTo(id);
        assertThat(trace.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(trace.get("strategy").stringValue()).isEqualTo("best_of_n");
        assertThat(trace.get("selectedCandidateId").stringValue()).isEqualTo(run.at("/result/candidateId").stringValue());

        JsonNode steps = trace.get("steps");
        assertThat(steps.findValuesAsString("kind")).containsExactlyInAnyOrder("GENERATION", "VERIFICATION", "SCORING");
        JsonNode generation = steps.get(0);
        assertThat(generation.get("kind").stringValue()).isEqualTo("GENERATION");
        assertThat(generation.get("status").stringValue()).isEqualTo("DONE");
        assertThat(generation.get("attempt").asInt()).isEqualTo(1);
        assertThat(generation.get("pool").stringValue()).isEqualTo("sim-math");
        assertThat(generation.get("role").stringValue()).isEqualTo("GENERATE");
        assertThat(generation.at("/reserved/tokens").asLong()).isEqualTo(15 + 256 + 3 * 50);
        assertThat(generation.at("/reserved/calls").asLong()).isEqualTo(3);
        assertThat(generation.at("/reserved/flops").asDouble()).isGreaterThan(generation.at("/usage/flops").asDouble());
        assertThat(generation.at("/usage/promptTokens").asLong()).isEqualTo(10);
        assertThat(generation.at("/usage/completionTokens").asLong()).isEqualTo(9);
        assertThat(generation.at("/usage/flops").asDouble()).isPositive();
        assertThat(generation.get("produced")).hasSize(3);
        assertThat(generation.get("judged")).isEmpty();
        assertThat(generation.get("createdAt").isNull()).isFalse();
        assertThat(generation.get("completedAt").isNull()).isFalse();
        assertThat(generation.get("error").isNull()).isTrue();
        List<String> produced = strings(generation.get("produced"));
        for (JsonNode judge : List.of(step(steps, "VERIFICATION"), step(steps, "SCORING"))) {
            assertThat(strings(judge.get("judged"))).containsExactlyInAnyOrderElementsOf(produced);
            assertThat(judge.get("produced")).isEmpty();
            assertThat(judge.at("/usage/flops").asDouble()).as("verifiers and sim-orm run outside the pools").isZero();
        }
        assertThat(step(steps, "VERIFICATION").get("verifier").stringValue()).isEqualTo("numeric");
        assertThat(step(steps, "SCORING").get("scorer").stringValue()).isEqualTo("sim-orm");

        JsonNode candidates = trace.get("candidates");
        assertThat(candidates).hasSize(3);
        assertThat(candidates.findValuesAsString("text")).containsExactly("Answer: 41", "Answer: 42", "Answer: 43");
        for (JsonNode c : candidates) {
            assertThat(c.get("stepId").stringValue()).isEqualTo(generation.get("id").stringValue());
            assertThat(c.get("parentId").isNull()).isTrue();
            assertThat(c.get("role").stringValue()).isEqualTo("GENERATE");
            assertThat(c.get("pool").stringValue()).isEqualTo("sim-math");
            assertThat(c.get("backend").stringValue()).isEqualTo("scripted");
            assertThat(c.get("simulated").asBoolean()).isFalse();
            assertThat(c.get("complete").asBoolean()).isTrue();
            assertThat(c.get("finishReason").stringValue()).isEqualTo("stop");
            assertThat(c.get("completionTokens").asLong()).isEqualTo(3);
            assertThat(c.get("verdicts")).singleElement().satisfies(v -> {
                assertThat(v.get("verifier").stringValue()).isEqualTo("numeric");
                assertThat(v.get("stepId").stringValue()).isEqualTo(step(steps, "VERIFICATION").get("id").stringValue());
            });
            assertThat(c.get("scores")).singleElement().satisfies(s -> assertThat(s.get("scorer").stringValue())
                    .isEqualTo("sim-orm"));
            assertThat(c.get("children")).isEmpty();
        }
        assertThat(candidates.get(1).at("/verdicts/0/outcome").stringValue()).isEqualTo("PASS");
        assertThat(candidates.get(1).at("/verdicts/0/extracted").stringValue()).isEqualTo("42");
        assertThat(candidates.get(1).at("/scores/0/value").asDouble()).isEqualTo(0.2);

        JsonNode usage = trace.get("usage");
        assertThat(usage).hasSize(3);
        double flops = 0;
        for (JsonNode u : usage) {
            flops += u.get("flops").asDouble();
        }
        assertThat(trace.at("/totals/flops").asDouble()).isEqualTo(flops).isEqualTo(run.at("/budget/usedFlops").asDouble());
        assertThat(trace.at("/totals/calls").asLong()).isEqualTo(6);
        assertThat(trace.get("layers")).as("only a layered strategy has layers").isEmpty();
    }

    @Test
    void anArchonRunsTraceShowsWhatEachLayerReceivedAndPassedOn() throws Exception {
        // no verifier and no reward model: the run ends in the decision that settles the last layer
        String id = create("""
                {"pipeline": {"strategy": "archon", "model": "sim-math", "maxTokens": 50, "seed": 1,
                              "options": {"layers": [[{"type": "generator", "samples": 3}],
                                                     [{"type": "ranker", "topK": 2}], [{"type": "fuser"}]]}},
                 "input": {"prompt": "What is 40 + 2?"}, "budget": {"maxTokens": 20000, "maxCalls": 20}}""");
        JsonNode run = awaitFinished(id);
        assertThat(run.get("status").stringValue()).isEqualTo("SUCCEEDED");
        JsonNode trace = JSON.readTree(get("/v1/runs/" + id + "/trace").body());

        JsonNode layers = trace.get("layers");
        assertThat(layers).hasSize(3);
        assertThat(layers.findValuesAsString("type")).containsExactly("generator", "ranker", "fuser");
        assertThat(layers.findValuesAsString("status")).containsOnly("DONE");
        assertThat(layers.findValues("position").stream().map(JsonNode::asInt)).containsExactly(0, 1, 2);
        List<String> generated = new ArrayList<>();
        String fused = null;
        for (JsonNode c : trace.get("candidates")) {
            String label = c.get("label").stringValue();
            if (label.startsWith("archon/L0/gen/")) {
                generated.add(c.get("id").stringValue());
            } else if (label.startsWith("archon/L2/fuse/")) {
                fused = c.get("id").stringValue();
            }
        }
        assertThat(layers.get(0).get("inputs")).isEmpty();
        assertThat(strings(layers.get(0).get("outputs"))).hasSize(3).containsExactlyElementsOf(generated);
        assertThat(strings(layers.get(1).get("inputs"))).isEqualTo(generated);
        // the ranking "Answer: 41" names no candidate, so the written order stands and the first two go on
        assertThat(strings(layers.get(1).get("outputs"))).isEqualTo(generated.subList(0, 2));
        assertThat(strings(layers.get(2).get("from"))).containsExactly(layers.get(1).get("name").stringValue());
        assertThat(strings(layers.get(2).get("inputs"))).isEqualTo(generated.subList(0, 2));
        assertThat(strings(layers.get(2).get("outputs"))).containsExactly(fused)
                .containsExactly(trace.get("selectedCandidateId").stringValue());
    }

    @Test
    void continuationsRefinementsAndCritiquesNestUnderTheirParent() throws Exception {
        String id = start("");
        awaitFinished(id);
        UUID runId = UUID.fromString(id);
        List<UUID> roots = jdbc.sql("select id from candidates where run_id = :run order by idx").param("run", runId)
                .query(UUID.class).list();
        // a later refinement round, recorded as the engine records one: a step and candidates with parents
        UUID step = UUID.randomUUID();
        jdbc.sql("""
                insert into steps (id, run_id, job_id, seq, kind, status, attempt, deadline, label, action)
                values (:id, :run, :job, 100, 'GENERATION', 'DONE', 1, :deadline, 'refine-1',
                        '{"label":"refine-1","role":"REFINE","n":2}')""")
                .param("id", step).param("run", runId).param("job", UUID.randomUUID())
                .param("deadline", Timestamp.from(Instant.now())).update();
        UUID critique = candidate(runId, step, 10, roots.get(0), "CRITIQUE", "41 is one short");
        UUID refined = candidate(runId, step, 11, roots.get(0), "REFINE", "Answer: 42");
        UUID continued = candidate(runId, step, 12, refined, "GENERATE", "Answer: 42\nDone.");

        JsonNode trace = JSON.readTree(get("/v1/runs/" + id + "/trace").body());
        JsonNode first = trace.get("candidates").get(0);
        assertThat(trace.get("candidates")).hasSize(3);
        assertThat(first.get("id").stringValue()).isEqualTo(roots.get(0).toString());
        assertThat(first.get("children").findValuesAsString("role")).containsExactly("CRITIQUE", "REFINE", "GENERATE");
        assertThat(first.at("/children/0/id").stringValue()).isEqualTo(critique.toString());
        assertThat(first.at("/children/1/id").stringValue()).isEqualTo(refined.toString());
        assertThat(first.at("/children/1/children/0/id").stringValue()).isEqualTo(continued.toString());
        assertThat(first.at("/children/1/children/0/parentId").stringValue()).isEqualTo(refined.toString());
        JsonNode refineStep = trace.get("steps").get(3);
        assertThat(refineStep.get("label").stringValue()).isEqualTo("refine-1");
        assertThat(refineStep.get("role").stringValue()).isEqualTo("REFINE");
        assertThat(refineStep.get("usage").isNull()).isTrue();
        assertThat(strings(refineStep.get("produced"))).containsExactly(critique.toString(), refined.toString(),
                continued.toString());
    }

    @Test
    void anUnknownRunHasNoTrace() throws Exception {
        HttpResponse<String> missing = get("/v1/runs/" + UUID.randomUUID() + "/trace");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(get("/v1/runs/nope/trace").statusCode()).isEqualTo(400);
    }

    // ---- events

    @Test
    void aLiveStreamFollowsTheRunFromRunStartedToRunFinishedAndResumesWithoutRepeats() throws Exception {
        String id = start(" " + ScriptedWorkers.HELD);
        EventStream live = EventStream.open(http, uri("/v1/runs/" + id + "/events"), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.events.size() >= 2);
        assertThat(live.done).as("the run is waiting for its samples").isNotDone();
        assertThat(live.events.stream().map(Sse::event)).containsExactly("run.started", "step.dispatched");

        workers.release();
        await().atMost(Duration.ofSeconds(10)).until(live.done::isDone);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.contentType()).startsWith("text/event-stream");
        List<Sse> all = List.copyOf(live.events);
        assertThat(all.getFirst().event()).isEqualTo("run.started");
        assertThat(all.getLast().event()).isEqualTo("run.finished");
        assertThat(JSON.readTree(all.getLast().data()).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(all.stream().map(Sse::event)).contains("step.dispatched", "step.finished");
        assertThat(all.stream().map(Sse::id).toList()).isSorted().doesNotHaveDuplicates()
                .isEqualTo(jdbc.sql("select id from run_events where run_id = :run order by id")
                        .param("run", UUID.fromString(id)).query(Long.class).list());
        assertThat(JSON.readTree(all.get(1).data()).get("kind").stringValue()).isEqualTo("GENERATION");

        // resuming after the third event gives exactly the rest, then ends
        EventStream resumed = EventStream.open(http, uri("/v1/runs/" + id + "/events"), all.get(2).id());
        await().atMost(Duration.ofSeconds(10)).until(resumed.done::isDone);
        assertThat(resumed.events).isEqualTo(all.subList(3, all.size()));
        EventStream byQuery = EventStream.open(http, uri("/v1/runs/" + id + "/events?lastEventId=" + all.get(2).id()), null);
        await().atMost(Duration.ofSeconds(10)).until(byQuery.done::isDone);
        assertThat(byQuery.events).isEqualTo(all.subList(3, all.size()));

        // after run.finished there is nothing more: 204 tells an EventSource to stop reconnecting
        EventStream over = EventStream.open(http, uri("/v1/runs/" + id + "/events"), all.getLast().id());
        await().atMost(Duration.ofSeconds(10)).until(over.done::isDone);
        assertThat(over.status()).isEqualTo(204);
        assertThat(over.events).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.openStreams() == 0);
    }

    @Test
    void aFinishedRunsEventsAreReplayedAndTheStreamCloses() throws Exception {
        String id = start("");
        awaitFinished(id);
        EventStream replay = EventStream.open(http, uri("/v1/runs/" + id + "/events"), null);
        await().atMost(Duration.ofSeconds(10)).until(replay.done::isDone);
        assertThat(replay.events.getFirst().event()).isEqualTo("run.started");
        assertThat(replay.events.getLast().event()).isEqualTo("run.finished");
    }

    @Test
    void anIdleStreamGetsHeartbeatsAndEndsAtItsLifetimeThenResumes() throws Exception {
        String id = start(" " + ScriptedWorkers.HELD);
        EventStream first = EventStream.open(http, uri("/v1/runs/" + id + "/events"), null);
        await().atMost(LIFETIME.multipliedBy(3)).until(first.done::isDone);
        assertThat(first.comments).as("heartbeats while the run waits").isNotEmpty();
        assertThat(first.events.stream().map(Sse::event)).containsExactly("run.started", "step.dispatched");
        assertThat(streams.openStreams()).isZero();

        workers.release();
        EventStream rest = EventStream.open(http, uri("/v1/runs/" + id + "/events"), first.events.getLast().id());
        await().atMost(Duration.ofSeconds(10)).until(rest.done::isDone);
        assertThat(rest.events.getFirst().event()).isEqualTo("step.finished");
        assertThat(rest.events.getLast().event()).isEqualTo("run.finished");
    }

    @Test
    void badRequestsForEventsGetProblems() throws Exception {
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri("/v1/runs/" + UUID.randomUUID() + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(missing.body()).contains("urn:verigen:problem:not-found");

        String id = start("");
        HttpResponse<String> badId = http.send(HttpRequest.newBuilder(uri("/v1/runs/" + id + "/events"))
                .header("Last-Event-ID", "seven").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badId.body()).get("field").stringValue()).isEqualTo("Last-Event-ID");
        awaitFinished(id);
    }

    // ---- helpers

    /** One server-sent event. */
    record Sse(long id, String event, String data) {
    }

    /** Reads a text/event-stream response on its own virtual thread until the server ends it. */
    static final class EventStream {
        final List<Sse> events = new CopyOnWriteArrayList<>();
        final List<String> comments = new CopyOnWriteArrayList<>();
        final CompletableFuture<HttpResponse<Stream<String>>> response;
        final CompletableFuture<Void> done;

        private EventStream(HttpClient http, URI uri, Long lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", Long.toString(lastEventId));
            }
            response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            done = response.thenAcceptAsync(r -> read(r.body()),
                    command -> Thread.ofVirtual().start(command));
        }

        static EventStream open(HttpClient http, URI uri, Long lastEventId) {
            return new EventStream(http, uri, lastEventId);
        }

        int status() {
            return response.join().statusCode();
        }

        String contentType() {
            return response.join().headers().firstValue("Content-Type").orElse("");
        }

        private void read(Stream<String> lines) {
            List<String> block = new ArrayList<>();
            lines.forEach(line -> {
                if (!line.isEmpty()) {
                    block.add(line);
                    return;
                }
                Long id = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String field : block) {
                    if (field.startsWith(":")) {
                        comments.add(field.substring(1));
                    } else if (field.startsWith("id:")) {
                        id = Long.parseLong(field.substring(3).strip());
                    } else if (field.startsWith("event:")) {
                        event = field.substring(6).strip();
                    } else if (field.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(field.substring(5).strip());
                    }
                }
                if (event != null) {
                    events.add(new Sse(id, event, data.toString()));
                }
                block.clear();
            });
        }
    }

    private static JsonNode step(JsonNode steps, String kind) {
        for (JsonNode s : steps) {
            if (s.get("kind").stringValue().equals(kind)) {
                return s;
            }
        }
        throw new AssertionError("no " + kind + " step in " + steps);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.stringValue()));
        return out;
    }

    private UUID candidate(UUID run, UUID step, int idx, UUID parent, String role, String text) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into candidates (id, run_id, step_id, idx, text, pool, backend, parent_id, role)
                values (:id, :run, :step, :idx, :text, 'sim-math', 'sim', :parent, :role)""")
                .param("id", id).param("run", run).param("step", step).param("idx", idx).param("text", text)
                .param("parent", parent).param("role", role).update();
        return id;
    }

    private String start(String promptSuffix) throws Exception {
        return create(BODY.formatted(promptSuffix));
    }

    private String create(String body) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/v1/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return JSON.readTree(created.body()).get("id").stringValue();
    }

    private JsonNode awaitFinished(String id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(get("/v1/runs/" + id).body()),
                        run -> !run.get("status").stringValue().equals("RUNNING"));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
