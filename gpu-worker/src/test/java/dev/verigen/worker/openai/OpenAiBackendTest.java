package dev.verigen.worker.openai;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import dev.verigen.worker.openai.FakeOpenAiServer.Recorded;
import dev.verigen.worker.openai.FakeOpenAiServer.Reply;
import dev.verigen.worker.openai.OpenAiProperties.Endpoint;
import dev.verigen.worker.openai.OpenAiProperties.NSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.verigen.worker.openai.OpenAiFixtures.API_KEY;
import static dev.verigen.worker.openai.OpenAiFixtures.PROMPT;
import static dev.verigen.worker.openai.OpenAiFixtures.config;
import static dev.verigen.worker.openai.OpenAiFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

class OpenAiBackendTest {

    private final FakeOpenAiServer server = new FakeOpenAiServer();

    OpenAiBackendTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void vllmChatHonoursNInOneRequestWithSummedLogprobs() {
        server.replying(r -> Reply.ok(Replays.vllmChat(List.of("Step 1: 17 + 25 = 42.\nAnswer: 42", "Answer: 41", "Answer"),
                List.of(List.of(-0.25, -0.5, -0.25), List.of(-1.0, -0.5), List.of(-2.0)), 31)));
        var backend = new OpenAiBackend(config(server), java.net.http.HttpClient.newHttpClient());

        EngineOutput out = backend.generate(request(3, true));

        assertThat(server.requests()).hasSize(1);
        Recorded sent = server.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.authorization()).isEqualTo("Bearer " + API_KEY);
        assertThat(sent.body().path("model").asString()).isEqualTo("Qwen/Qwen2.5-Math-1.5B-Instruct");
        assertThat(sent.body().path("messages").get(0).path("role").asString()).isEqualTo("user");
        assertThat(sent.body().path("messages").get(0).path("content").asString()).isEqualTo(PROMPT);
        assertThat(sent.n()).isEqualTo(3);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(sent.body().path("top_p").asDouble()).isEqualTo(0.95);
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(64);
        assertThat(sent.body().path("seed").asLong()).isEqualTo(42);
        assertThat(sent.body().path("stop").get(0).asString()).isEqualTo("\n\n");
        assertThat(sent.body().path("logprobs").asBoolean()).isTrue();

        assertThat(out.samples()).extracting(Sample::text)
                .containsExactly("Step 1: 17 + 25 = 42.\nAnswer: 42", "Answer: 41", "Answer");
        assertThat(out.samples()).extracting(Sample::index).containsExactly(0, 1, 2);
        assertThat(out.samples().get(0).logprob()).isCloseTo(-1.0, within(1e-9));
        assertThat(out.samples().get(1).logprob()).isCloseTo(-1.5, within(1e-9));
        assertThat(out.samples()).extracting(Sample::completionTokens).containsExactly(3L, 2L, 1L);
        assertThat(out.samples()).extracting(Sample::finishReason).containsExactly("stop", "stop", "length");
        assertThat(out.usage().promptTokens()).isEqualTo(31);
        assertThat(out.usage().completionTokens()).isEqualTo(6);
        assertThat(out.usage().calls()).isEqualTo(3);
        assertThat(backend.honoursN()).isTrue();
    }

    @Test
    void vllmCompletionsSendsThePromptVerbatimAndSumsTokenLogprobs() {
        server.replying(r -> Reply.ok(Replays.vllmCompletions(List.of(" 42", " 41"),
                List.of(List.of(-0.5, -0.25), List.of(-1.5, -1.0)), 27)));
        var backend = new OpenAiBackend(config(server, Endpoint.COMPLETIONS, NSupport.NATIVE, Duration.ofSeconds(5)),
                java.net.http.HttpClient.newHttpClient());

        EngineOutput out = backend.generate(request(2, true));

        Recorded sent = server.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/completions");
        assertThat(sent.body().path("prompt").asString()).isEqualTo(PROMPT);
        assertThat(sent.body().has("messages")).isFalse();
        assertThat(sent.body().path("logprobs").asInt()).isEqualTo(1);
        assertThat(out.samples()).extracting(Sample::text).containsExactly(" 42", " 41");
        // the leading null (no logprob for the first token when echoing) is skipped, not a failure
        assertThat(out.samples().get(0).logprob()).isCloseTo(-0.75, within(1e-9));
        assertThat(out.samples().get(1).logprob()).isCloseTo(-2.5, within(1e-9));
        assertThat(out.samples()).extracting(Sample::finishReason).containsOnly("length");
        assertThat(out.usage().promptTokens()).isEqualTo(27);
        assertThat(out.usage().completionTokens()).isEqualTo(6);
    }

    @Test
    void llamaCppIgnoresNSoTheRestIsFannedOutAndAutoModeRemembers() {
        AtomicInteger k = new AtomicInteger();
        server.replying(r -> Reply.ok(Replays.llamaCppChat("Answer: " + (40 + k.getAndIncrement()), 20, 5)));
        var backend = new OpenAiBackend(config(server), java.net.http.HttpClient.newHttpClient());

        EngineOutput out = backend.generate(request(4, false));

        assertThat(server.requests()).hasSize(4);
        assertThat(server.requests()).filteredOn(r -> r.n() == 4).hasSize(1);
        assertThat(server.requests()).filteredOn(r -> !r.body().has("n")).hasSize(3);
        // sample i uses seed + i, as the contract says
        assertThat(server.requests()).extracting(r -> r.body().path("seed").asLong()).containsExactlyInAnyOrder(42L, 43L, 44L, 45L);
        assertThat(out.samples()).hasSize(4).extracting(Sample::index).containsExactly(0, 1, 2, 3);
        assertThat(out.samples()).extracting(Sample::text).allMatch(t -> t.startsWith("Answer: 4"));
        // every request re-sends the prompt: prompt tokens add up over the fan-out
        assertThat(out.usage().promptTokens()).isEqualTo(80);
        assertThat(out.usage().completionTokens()).isEqualTo(20);
        assertThat(out.usage().calls()).isEqualTo(4);
        assertThat(backend.honoursN()).isFalse();

        server.requests().clear();
        backend.generate(request(2, false));
        assertThat(server.requests()).hasSize(2).allMatch(r -> !r.body().has("n"));
    }

    @Test
    void llamaCppRejectingNWith400IsToldApartFromABadRequest() {
        server.replying(r -> r.n() > 1
                ? Reply.status(400, Replays.llamaCppOnlyOneChoice())
                : Reply.ok(Replays.llamaCppChat("Answer: 42", 20, 5)));
        var backend = new OpenAiBackend(config(server), java.net.http.HttpClient.newHttpClient());

        EngineOutput out = backend.generate(request(3, false));

        assertThat(out.samples()).hasSize(3);
        assertThat(server.requests()).hasSize(4);
        assertThat(backend.honoursN()).isFalse();
    }

    @Test
    void ollamaIgnoresNWithItsUsageShape() {
        AtomicInteger k = new AtomicInteger();
        server.replying(r -> Reply.ok(Replays.ollamaChat("Answer: 42 #" + k.incrementAndGet(),
                k.get() == 2 ? "length" : "stop", 25, 9)));
        var backend = new OpenAiBackend(config(server), java.net.http.HttpClient.newHttpClient());

        EngineOutput out = backend.generate(request(2, false));

        assertThat(server.requests()).hasSize(2);
        assertThat(out.samples()).extracting(Sample::text).containsExactlyInAnyOrder("Answer: 42 #1", "Answer: 42 #2");
        assertThat(out.samples()).extracting(Sample::finishReason).containsExactlyInAnyOrder("stop", "length");
        assertThat(out.samples()).extracting(Sample::completionTokens).containsOnly(9L);
        assertThat(out.samples()).extracting(Sample::logprob).containsOnlyNulls();
        assertThat(out.usage().promptTokens()).isEqualTo(50);
        assertThat(out.usage().completionTokens()).isEqualTo(18);
    }

    @Test
    void fanoutModeNeverSendsN() {
        server.replying(r -> Reply.ok(Replays.ollamaChat("Answer: 42", "stop", 25, 9)));
        var backend = new OpenAiBackend(config(server, Endpoint.CHAT, NSupport.FANOUT, Duration.ofSeconds(5)),
                java.net.http.HttpClient.newHttpClient());
        assertThat(backend.generate(request(3, false)).samples()).hasSize(3);
        assertThat(server.requests()).hasSize(3).noneMatch(r -> r.body().has("n"));
    }

    @Test
    void httpStatusesMapToStableCodes() {
        assertFailure(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", EngineErrors.RATE_LIMITED, true);
        assertFailure(503, "Service Unavailable", EngineErrors.ENGINE_ERROR, true);
        assertFailure(500, "{\"object\":\"error\",\"message\":\"CUDA out of memory\"}", EngineErrors.ENGINE_ERROR, true);
        assertFailure(400, "{\"object\":\"error\",\"message\":\"max_tokens is too large\"}", EngineErrors.BAD_REQUEST, false);
        assertFailure(404, "{\"error\":\"model not found\"}", EngineErrors.BAD_REQUEST, false);
    }

    private void assertFailure(int status, String body, String code, boolean retryable) {
        server.requests().clear();
        server.replying(r -> Reply.status(status, body));
        var backend = new OpenAiBackend(config(server), java.net.http.HttpClient.newHttpClient());
        EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.getMessage()).contains("HTTP " + status);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void slowServerTimesOut() {
        server.replying(r -> Reply.ok(Replays.ollamaChat("late", "stop", 1, 1)).delayed(1_000));
        var backend = new OpenAiBackend(config(server, Endpoint.CHAT, NSupport.AUTO, Duration.ofMillis(150)),
                java.net.http.HttpClient.newHttpClient());
        EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
        assertThat(e.code()).isEqualTo(EngineErrors.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(e.engineMs()).isBetween(100L, 900L);
    }

    @Test
    void malformedResponsesAreReportedAsSuch() {
        var backend = new OpenAiBackend(config(server), java.net.http.HttpClient.newHttpClient());
        for (String body : List.of("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"trunc", "<html>Bad Gateway</html>",
                "{\"object\":\"chat.completion\",\"choices\":[]}", "{\"choices\":[{\"index\":0,\"message\":{}}]}", "[]")) {
            server.replying(r -> Reply.ok(body));
            EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
            assertThat(e.code()).as(body).isEqualTo(EngineErrors.MALFORMED_RESPONSE);
            assertThat(e.retryable()).isTrue();
        }
    }

    @Test
    void nativeModeTreatsAShortfallAsMalformed() {
        server.replying(r -> Reply.ok(Replays.ollamaChat("Answer: 42", "stop", 25, 9)));
        var backend = new OpenAiBackend(config(server, Endpoint.CHAT, NSupport.NATIVE, Duration.ofSeconds(5)),
                java.net.http.HttpClient.newHttpClient());
        assertThatThrownBy(() -> backend.generate(request(2, false)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineErrors.MALFORMED_RESPONSE));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void unreachableServerIsRetryable() {
        var props = new OpenAiProperties(URI.create("http://127.0.0.1:1"), null, "m", null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(1), null);
        var backend = new OpenAiBackend(props, java.net.http.HttpClient.newHttpClient());
        EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
        assertThat(e.code()).isEqualTo(EngineErrors.ENGINE_UNREACHABLE);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void baseUrlMayAlreadyEndWithV1() {
        var props = new OpenAiProperties(URI.create("https://api.example.com/v1/"), null, "m", Endpoint.COMPLETIONS,
                null, null, null, null);
        assertThat(props.endpointUri()).isEqualTo(URI.create("https://api.example.com/v1/completions"));
    }

    @Test
    void apiKeyIsSentButNeverLoggedNorInErrorsNorToString() {
        Logger root = (Logger) LoggerFactory.getLogger("dev.verigen.worker");
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        try {
            // a server that echoes the key back in its error (some proxies do) must not leak it either
            server.replying(r -> r.n() > 1
                    ? Reply.ok(Replays.llamaCppChat("Answer: 42", 20, 5))
                    : Reply.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY + "\"}}"));
            var props = config(server);
            var backend = new OpenAiBackend(props);
            EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(2, false)));

            assertThat(server.requests()).isNotEmpty().allMatch(r -> ("Bearer " + API_KEY).equals(r.authorization()));
            assertThat(e.code()).isEqualTo(EngineErrors.BAD_REQUEST);
            assertThat(e.getMessage()).contains("Incorrect API key provided: ***").doesNotContain(API_KEY);
            assertThat(props.toString()).doesNotContain(API_KEY).contains("apiKey=***");
            assertThat(backend.toString()).doesNotContain(API_KEY);
            assertThat(logs.list).isNotEmpty();
            assertThat(logs.list).noneMatch(ev -> ev.getFormattedMessage().contains(API_KEY)
                    || (ev.getThrowableProxy() != null && String.valueOf(ev.getThrowableProxy().getMessage()).contains(API_KEY)));
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }
    }
}
