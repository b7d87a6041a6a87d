package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.verigen.contracts.testing.StreamingClient;
import dev.verigen.orchestrator.engine.ScriptedWorkers;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * The OpenAI facade through the official OpenAI Java client, over real HTTP, PostgreSQL and Kafka, with scripted
 * workers: samples i = 0, 1, 2, ... read "Answer: 41/42/43", score = last digit / 10, a sample passes the verifier
 * when it contains the reference.
 */
@OrchestratorIT
class OpenAiFacadeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String QUESTION = "What is 40 + 2?";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.openai.heartbeat-interval", () -> "500ms");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedWorkers workers;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
        client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1").apiKey("vg_any_key")
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        workers.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(question).seed(7L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> verigen(Map<String, JsonValue> additional) {
        assertThat(additional).containsKey("verigen");
        return additional.get("verigen").convert(Map.class);
    }

    @Test
    void aPlainCompletionAnswersWithTheRunsRankingItsUsageAndMetadata() throws Exception {
        ChatCompletion completion = client.chat().completions().create(ask("bon-4/sim-math", QUESTION).n(3L)
                .putAdditionalBodyProperty("verigen", JsonValue.from(Map.of("metadata", true))).build());

        // 4 samples 41, 42, 43, 41 scored 0.1, 0.2, 0.3, 0.1: the best-scored is selected, then the other answers
        assertThat(completion.choices()).extracting(c -> c.message().content().orElseThrow())
                .containsExactly("Answer: 43", "Answer: 42", "Answer: 41");
        assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L, 2L);
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("bon-4/sim-math");
        String runId = completion.id().substring("chatcmpl-".length());
        // generation: 10 prompt + 12 completion tokens; scoring 4 candidates: 16 prompt tokens
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(26);
        assertThat(usage.completionTokens()).isEqualTo(12);
        assertThat(usage.totalTokens()).isEqualTo(38);
        assertThat(usage.promptTokens()).isEqualTo(jdbc.sql("select sum(prompt_tokens) from usage where run_id = :id")
                .param("id", UUID.fromString(runId)).query(Long.class).single());

        Map<String, Object> meta = verigen(completion._additionalProperties());
        assertThat(meta).containsEntry("run_id", runId).containsEntry("strategy", "best_of_n")
                .containsEntry("selected_index", 2).containsEntry("status", "SUCCEEDED");
        assertThat((List<?>) meta.get("candidates")).hasSize(4);
        assertThat((List<?>) meta.get("votes")).hasSize(3);
        assertThat(meta.get("budget")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("used_calls", 8);
        assertThat(status(runId)).isEqualTo("SUCCEEDED");

        // a client of the facade goes from its answer to the run's trace (and every log line of it) by this id: it has
        // to be the one the run keeps, not a trace of the HTTP request alone
        String traceId = (String) meta.get("trace_id");
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(traceId).isEqualTo(jdbc.sql("select trace_id from runs where id = :id")
                .param("id", UUID.fromString(runId)).query(String.class).single());
        assertThat(JSON.readTree(get("/v1/runs/" + runId).body()).get("traceId").stringValue()).isEqualTo(traceId);
        Map<String, Object> another = verigen(client.chat().completions().create(ask("bon-4/sim-math", QUESTION)
                .putAdditionalBodyProperty("verigen", JsonValue.from(Map.of("metadata", true))).build())
                ._additionalProperties());
        assertThat(another.get("trace_id")).isNotNull().isNotEqualTo(traceId);
    }

    @Test
    void theExtensionAddsAVerifierAndTheBudgetHeaderSetsTheRunsBudget() throws Exception {
        HttpResponse<String> response = post("""
                {"model": "bon-4/sim-math", "messages": [{"role": "user", "content": "What is 40 + 2?"}],
                 "verigen": {"pipeline": {"verifier": "numeric"}, "reference": "42"}}""",
                Map.of("X-Verigen-Budget", "tokens=20000, calls=64, flops=1e15"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/choices/0/message/content").stringValue()).isEqualTo("Answer: 42"); // verified beats score
        assertThat(body.at("/choices/0/logprobs").isNull()).isTrue();
        assertThat(body.has("verigen")).isFalse();
        String runId = response.headers().firstValue("X-Verigen-Run-Id").orElseThrow();
        assertThat(body.get("id").stringValue()).isEqualTo("chatcmpl-" + runId);
        JsonNode run = JSON.readTree(get("/v1/runs/" + runId).body());
        assertThat(run.at("/budget/maxTokens").asLong()).isEqualTo(20000);
        assertThat(run.at("/budget/maxCalls").asLong()).isEqualTo(64);
        assertThat(run.at("/pipeline/verifier/type").stringValue()).isEqualTo("numeric");
        assertThat(run.at("/input/reference").stringValue()).isEqualTo("42");

        HttpResponse<String> badHeader = post("""
                {"model": "sim-math", "messages": [{"role": "user", "content": "q"}]}""",
                Map.of("X-Verigen-Budget", "tokens=lots"));
        assertThat(badHeader.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badHeader.body()).get("field").stringValue()).isEqualTo("X-Verigen-Budget");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersFromTheFirstRun() throws Exception {
        String body = """
                {"model": "bon-2/sim-math", "messages": [{"role": "user", "content": "What is 40 + 2?"}]}""";
        Map<String, String> key = Map.of("Idempotency-Key", "chat-" + UUID.randomUUID());
        HttpResponse<String> first = post(body, key);
        HttpResponse<String> retry = post(body, key);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("X-Verigen-Run-Id")).isEqualTo(first.headers().firstValue("X-Verigen-Run-Id"));
        assertThat(JSON.readTree(retry.body()).get("choices")).isEqualTo(JSON.readTree(first.body()).get("choices"));

        HttpResponse<String> reused = post(body.replace("40 + 2", "41 + 1"), key);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(reused.headers().firstValue("X-Should-Retry")).hasValue("false");
    }

    @Test
    void aStreamedCompletionSendsProgressThenTheSameAnswerAndUsage() {
        ChatCompletion plain = client.chat().completions().create(ask("sc-3/sim-math", QUESTION).build());
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ask("sc-3/sim-math", QUESTION).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true)
                        .build()).build())) {
            chunks = stream.stream().toList();
        }
        String streamed = chunks.stream().flatMap(c -> c.choices().stream())
                .filter(c -> c.index() == 0).map(c -> c.delta().content().orElse(""))
                .collect(Collectors.joining());
        assertThat(streamed).isEqualTo(plain.choices().getFirst().message().content().orElseThrow());
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).filter(c -> c.delta().role().isPresent()))
                .hasSize(1);
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).filter(c -> c.finishReason().isPresent()))
                .singleElement().satisfies(c -> assertThat(c.finishReason().orElseThrow().asString()).isEqualTo("stop"));

        List<String> events = chunks.stream().filter(c -> c.choices().isEmpty() && c.usage().isEmpty())
                .map(c -> (String) verigen(c._additionalProperties()).get("event")).toList();
        assertThat(events).startsWith("run.started").contains("step.dispatched", "step.finished").endsWith("run.finished");

        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(plain.usage().orElseThrow().totalTokens());
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
    }

    @Test
    void clientMistakesComeBackAsTheClientsOwnExceptionsWithOurMessage() {
        NotFoundException unknown = catchThrowableOfType(NotFoundException.class,
                () -> client.chat().completions().create(ask("gpt-4o", QUESTION).build()));
        assertThat(unknown).isNotNull();
        assertThat(unknown.getMessage()).contains("The model 'gpt-4o' does not exist");
        assertThat(unknown.param()).hasValue("model");

        BadRequestException hot = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(ask("bon-4/sim-math", QUESTION).temperature(3.0).build()));
        assertThat(hot).isNotNull();
        assertThat(hot.param()).hasValue("temperature");
        assertThat(hot.getMessage()).contains("temperature: must be between 0.0 and 2.0");

        BadRequestException tools = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(ask("bon-4/sim-math", QUESTION)
                        .putAdditionalBodyProperty("tools", JsonValue.from(List.of(Map.of("type", "function",
                                "function", Map.of("name", "f"))))).build()));
        assertThat(tools.param()).hasValue("tools");

        BadRequestException size = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(ask("bon-0/sim-math", QUESTION).build()));
        assertThat(size.param()).hasValue("model");
    }

    @Test
    void modelsListPresetsAndTheTenantsSavedPipelines() throws Exception {
        HttpResponse<String> saved = send("PUT", "/v1/pipelines/careful-math", """
                {"pipeline": {"strategy": "best_of_n", "n": 2, "model": "sim-math", "rewardModel": "sim-orm"},
                 "description": "two samples, best scored"}""", Map.of());
        assertThat(saved.statusCode()).as(saved.body()).isIn(200, 201);

        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).contains("sim-math", "arith-tiny", "single/sim-math",
                "bon-8/sim-math", "sc-16/arith-tiny", "beam-4/sim-math", "iad/sim-math", "careful-math");
        assertThat(models).allSatisfy(m -> assertThat(m.ownedBy()).isEqualTo("verigen"));

        JsonNode one = JSON.readTree(get("/v1/models/wsc-32/sim-math").body());
        assertThat(one.get("id").stringValue()).isEqualTo("wsc-32/sim-math");
        assertThat(one.get("object").stringValue()).isEqualTo("model");
        assertThat(one.at("/verigen/strategy").stringValue()).isEqualTo("self_consistency");
        assertThat(get("/v1/models/nope/sim-math").statusCode()).isEqualTo(404);
        assertThat(get("/v1/models/careful-math/arith-tiny").statusCode()).isEqualTo(200);
        assertThat(client.models().retrieve("bon-8/sim-math").id()).isEqualTo("bon-8/sim-math");

        // a saved pipeline on another pool: its spec, with the pool swapped in
        ChatCompletion completion = client.chat().completions().create(ask("careful-math/arith-tiny", QUESTION)
                .putAdditionalBodyProperty("verigen", JsonValue.from(Map.of("metadata", true))).build());
        Map<String, Object> meta = verigen(completion._additionalProperties());
        assertThat(meta).containsEntry("pool", "arith-tiny").containsEntry("n", 2);
        assertThat(completion.choices().getFirst().message().content()).hasValue("Answer: 42");
    }

    @Test
    void savedPipelinesAreValidatedLikeRunsAndBelongToOneTenant() throws Exception {
        String spec = """
                {"pipeline": {"strategy": "self_consistency", "n": 5, "model": "sim-math"}}""";
        assertThat(send("PUT", "/v1/pipelines/vote-5", spec, Map.of()).statusCode()).isEqualTo(201);
        HttpResponse<String> replaced = send("PUT", "/v1/pipelines/vote-5", spec.replace("5", "7"), Map.of());
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replaced.body()).at("/pipeline/n").asInt()).isEqualTo(7);
        assertThat(JSON.readTree(get("/v1/pipelines/vote-5").body()).at("/pipeline/n").asInt()).isEqualTo(7);
        assertThat(JSON.readTree(get("/v1/pipelines").body()).findValuesAsString("name")).contains("vote-5");

        HttpResponse<String> invalid = send("PUT", "/v1/pipelines/broken", """
                {"pipeline": {"strategy": "best_of_n", "n": 0, "model": "sim-math", "temperature": 9}}""", Map.of());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("pipeline.n", "pipeline.temperature");
        assertThat(send("PUT", "/v1/pipelines/bon-8", spec, Map.of()).statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/v1/pipelines/sim-math", spec, Map.of()).statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/v1/pipelines/Bad_Name", spec, Map.of()).statusCode()).isEqualTo(400);
        // encoded slashes pass through to the router (for model ids): elsewhere they are just a bad value
        assertThat(send("PUT", "/v1/pipelines/a%2Fb", spec, Map.of()).statusCode()).isEqualTo(400);
        assertThat(get("/v1/runs/a%2Fb").statusCode()).isEqualTo(400);
        assertThat(get("/v1/pipelines/%2E%2E%2Fvote-5").statusCode()).isEqualTo(404);

        jdbc.sql("insert into tenants (id, name) values ('other', 'Other') on conflict do nothing").update();
        Map<String, String> other = Map.of("X-Verigen-Tenant", "other");
        assertThat(send("GET", "/v1/pipelines/vote-5", null, other).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(send("GET", "/v1/pipelines", null, other).body())).isEmpty();
        HttpResponse<String> asOther = post("""
                {"model": "vote-5", "messages": [{"role": "user", "content": "q"}]}""", other);
        assertThat(asOther.statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/pipelines/vote-5", null, other).statusCode()).isEqualTo(404);

        assertThat(send("DELETE", "/v1/pipelines/vote-5", null, Map.of()).statusCode()).isEqualTo(204);
        assertThat(get("/v1/pipelines/vote-5").statusCode()).isEqualTo(404);
    }

    @Test
    void aRunThatOutlivesItsTimeoutIsCancelledAnd504() throws Exception {
        HttpResponse<String> response = post("""
                {"model": "sc-2/sim-math", "messages": [{"role": "user", "content": "[hold] What is 1 + 1?"}],
                 "verigen": {"timeoutSeconds": 1}}""", Map.of());
        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:completion-timeout");
        assertThat(problem.at("/error/code").stringValue()).isEqualTo("completion-timeout");
        String runId = response.headers().firstValue("X-Verigen-Run-Id").orElseThrow();
        assertThat(status(runId)).isEqualTo("CANCELLED");
        assertThat(response.headers().firstValue("X-Should-Retry")).hasValue("false");
    }

    @Test
    void aRunStoppedByItsTenantsBudgetIs402() throws Exception {
        jdbc.sql("insert into tenants (id, name) values ('broke', 'Broke') on conflict do nothing").update();
        assertThat(send("PUT", "/v1/tenants/broke/budget", "{\"maxTokens\": 1}", Map.of()).statusCode()).isIn(200, 201);
        HttpResponse<String> response = post("""
                {"model": "bon-2/sim-math", "messages": [{"role": "user", "content": "q"}]}""",
                Map.of("X-Verigen-Tenant", "broke"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(402);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:budget-exhausted");
        assertThat(problem.get("detail").stringValue()).contains("tenant budget");
        assertThat(response.headers().firstValue("X-Verigen-Run-Id")).isPresent();
        assertThat(response.headers().firstValue("X-Should-Retry")).hasValue("false");

        // once a stream has started, the failure is its last chunk, and there is no [DONE]
        HttpResponse<String> streamed = post("""
                {"model": "bon-2/sim-math", "stream": true, "messages": [{"role": "user", "content": "q"}]}""",
                Map.of("X-Verigen-Tenant", "broke"));
        assertThat(streamed.statusCode()).isEqualTo(200);
        List<String> data = streamed.body().lines().filter(l -> l.startsWith("data: ")).toList();
        JsonNode error = JSON.readTree(data.getLast().substring("data: ".length()));
        assertThat(error.at("/error/code").stringValue()).isEqualTo("budget-exhausted");
        assertThat(error.get("status").asInt()).isEqualTo(402);
        assertThat(streamed.body()).doesNotContain("[DONE]");
    }

    /** Raw HTTP: close the socket mid-stream; the next heartbeat fails to write and the run is cancelled. */
    @Test
    void aClientThatDisconnectsFromTheStreamCancelsItsRun() throws Exception {
        String runId;
        try (StreamingClient client = StreamingClient.post("localhost", port, "/v1/chat/completions", Map.of(), """
                {"model": "sc-2/sim-math", "stream": true,
                 "messages": [{"role": "user", "content": "[hold] What is 1 + 1?"}]}""")) {
            assertThat(client.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(client.firstData()).contains("\"event\":\"run.started\"");
            runId = client.header("X-Verigen-Run-Id");
            assertThat(runId).isNotNull();
            await().atMost(Duration.ofSeconds(20)).until(() -> workers.heldJobs() > 0);
            assertThat(status(runId)).isEqualTo("RUNNING");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status(runId).equals("CANCELLED"));
        assertThat(jdbc.sql("select cancel_reason from runs where id = :id").param("id", UUID.fromString(runId))
                .query(String.class).single()).isEqualTo("the client closed the stream");
    }

    @Test
    void aStreamErrorBeforeTheRunStartsIsAPlainProblem() throws Exception {
        HttpResponse<String> response = post("""
                {"model": "nope", "stream": true, "messages": [{"role": "user", "content": "q"}]}""", Map.of());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        OpenAIServiceException e = catchThrowableOfType(OpenAIServiceException.class,
                () -> client.chat().completions().createStreaming(ask("bon-4/sim-math", QUESTION).n(500L).build())
                        .stream().toList());
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.param()).hasValue("n");
    }

    private String status(String runId) {
        return jdbc.sql("select status from runs where id = :id").param("id", UUID.fromString(runId))
                .query(String.class).single();
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        return send("POST", "/v1/chat/completions", body, headers);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, Map.of());
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
