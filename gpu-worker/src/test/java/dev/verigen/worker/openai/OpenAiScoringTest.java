package dev.verigen.worker.openai;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import dev.verigen.worker.openai.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import static dev.verigen.worker.openai.OpenAiFixtures.PROMPT;
import static dev.verigen.worker.openai.OpenAiFixtures.config;
import static dev.verigen.worker.openai.OpenAiFixtures.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/** Scoring mode against a local server replaying vLLM's /v1/completions echo answers. */
class OpenAiScoringTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FakeOpenAiServer server = new FakeOpenAiServer();

    OpenAiScoringTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sumsTheEchoedLogprobsOfEachContinuationsTokens() {
        // vLLM-like: one token per 4 characters; token k has logprob -0.01 * (k + 1); the first has none
        server.replying(r -> Reply.ok(echo(r.body().path("prompt").asString())));
        var backend = new OpenAiBackend(config(server), HttpClient.newHttpClient()); // chat configured: completions used anyway
        var request = new EngineRequest(meta(), "qwen-math", PROMPT, "What is 17 + 25?", null, 2, null,
                List.of("Answer: 42", "The answer is 41."));

        EngineOutput out = backend.generate(request);

        assertThat(server.requests()).hasSize(2).allSatisfy(sent -> {
            assertThat(sent.path()).isEqualTo("/v1/completions");
            assertThat(sent.body().path("echo").asBoolean()).isTrue();
            assertThat(sent.body().path("logprobs").asInt()).isEqualTo(1);
            assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(1);
            assertThat(sent.body().path("prompt").asString()).startsWith(PROMPT);
        });
        assertThat(out.samples()).extracting(Sample::text).containsExactly("Answer: 42", "The answer is 41.");
        for (int i = 0; i < 2; i++) {
            String continuation = request.continuations().get(i);
            double expected = expectedLogprob(PROMPT, continuation);
            int tokens = expectedTokens(PROMPT, continuation);
            assertThat(out.samples().get(i).logprob()).as(continuation).isCloseTo(expected, within(1e-9));
            assertThat(out.samples().get(i).completionTokens()).isEqualTo(tokens);
        }
        long continuationTokens = out.samples().stream().mapToLong(Sample::completionTokens).sum();
        assertThat(out.usage().promptTokens()).isEqualTo(PROMPT.length() / 4 + continuationTokens);
        assertThat(out.usage().completionTokens()).isZero();
        assertThat(out.usage().calls()).isEqualTo(2);
    }

    @Test
    void aServerWithoutPromptLogprobsFailsNonRetryably() {
        server.replying(r -> Reply.ok("{\"choices\":[{\"index\":0,\"text\":\"x\",\"logprobs\":null,"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}"));
        var backend = new OpenAiBackend(config(server), HttpClient.newHttpClient());
        var request = new EngineRequest(meta(), "qwen-math", PROMPT, "t", null, 1, null, List.of("Answer: 42"));

        EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request));

        assertThat(e.code()).isEqualTo(EngineErrors.SCORING_UNSUPPORTED);
        assertThat(e.retryable()).isFalse();
    }

    /** The echo of {@code text} plus one generated token, as vLLM's completions endpoint answers it. */
    private static String echo(String text) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", text + " X");
        choice.put("finish_reason", "length");
        ObjectNode logprobs = choice.putObject("logprobs");
        ArrayNode tokens = logprobs.putArray("tokens");
        ArrayNode values = logprobs.putArray("token_logprobs");
        ArrayNode offsets = logprobs.putArray("text_offset");
        List<String> pieces = pieces(text);
        pieces.add(" X");
        int offset = 0;
        for (int k = 0; k < pieces.size(); k++) {
            tokens.add(pieces.get(k));
            offsets.add(offset);
            if (k == 0) {
                values.addNull();
            } else {
                values.add(-0.01 * (k + 1));
            }
            offset += pieces.get(k).length();
        }
        root.putObject("usage").put("prompt_tokens", pieces.size() - 1).put("completion_tokens", 1);
        return JSON.writeValueAsString(root);
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 4) {
            pieces.add(text.substring(i, Math.min(text.length(), i + 4)));
        }
        return pieces;
    }

    /** Tokens covering a character at or after the prompt's end (a straddling token counts for the continuation). */
    private static double expectedLogprob(String prompt, String continuation) {
        double sum = 0;
        List<String> pieces = pieces(prompt + continuation);
        int offset = 0;
        for (int k = 0; k < pieces.size(); k++) {
            if (offset + pieces.get(k).length() > prompt.length()) {
                sum += -0.01 * (k + 1);
            }
            offset += pieces.get(k).length();
        }
        return sum;
    }

    private static int expectedTokens(String prompt, String continuation) {
        int count = 0;
        int offset = 0;
        for (String piece : pieces(prompt + continuation)) {
            if (offset + piece.length() > prompt.length()) {
                count++;
            }
            offset += piece.length();
        }
        return count;
    }
}
