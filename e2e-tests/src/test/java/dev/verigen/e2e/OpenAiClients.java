package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The official OpenAI Java client, unmodified, pointed at the gateway: what a team with existing OpenAI code gets.
 * The scenarios return what the caller checks against the platform's own API (run ids).
 */
final class OpenAiClients {

    static final String QUESTION = "What is 37 + 48?";
    static final String MODEL = "bon-8/sim-math";

    private OpenAiClients() {
    }

    static OpenAIClient client(Platform platform, String key) {
        return OpenAIOkHttpClient.builder().baseUrl(platform.gatewayUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(90)).build();
    }

    static ChatCompletionCreateParams.Builder ask(String model) {
        // the reference makes the preset verifier-guided (numeric), as an eval harness would send it
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(QUESTION).seed(11L)
                .putAdditionalBodyProperty("verigen", JsonValue.from(Map.of("reference", "85", "metadata", true)));
    }

    /** A plain completion: the verified answer, usage over every internal call and the run's candidates. */
    static String plainCompletion(OpenAIClient client, Function<String, JsonNode> run) {
        List<String> models = client.models().list().data().stream().map(Model::id).toList();
        assertThat(models).contains(MODEL, "sim-math", "sc-8/sim-math");
        assertThat(client.models().retrieve(MODEL).id()).isEqualTo(MODEL);

        ChatCompletion completion = client.chat().completions().create(ask(MODEL).build());
        assertThat(completion.model()).isEqualTo(MODEL);
        String answer = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(answer).contains("85");
        String runId = completion.id().substring("chatcmpl-".length());
        JsonNode view = run.apply(runId);
        assertThat(view.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(view.at("/result/verdict").stringValue()).isEqualTo("PASS");
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(view.at("/usage/promptTokens").asLong());
        assertThat(usage.completionTokens()).isEqualTo(view.at("/usage/completionTokens").asLong());
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = completion._additionalProperties().get("verigen").convert(Map.class);
        assertThat(meta).containsEntry("run_id", runId).containsEntry("strategy", "best_of_n");
        assertThat((List<?>) meta.get("candidates")).hasSize(8);
        return runId;
    }

    /** A streamed completion: progress chunks as the run goes, then the same answer in standard chunks. */
    static void streamedCompletion(OpenAIClient client, String plainAnswerRun, Function<String, JsonNode> run) {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(MODEL)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = stream.stream().toList();
        }
        String streamed = chunks.stream().flatMap(c -> c.choices().stream()).filter(c -> c.index() == 0)
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        String plain = run.apply(plainAnswerRun).at("/result/text").stringValue();
        assertThat(streamed).isEqualTo(plain); // same seed, same pipeline: the same selected answer
        List<Object> events = chunks.stream().filter(c -> c.choices().isEmpty() && c.usage().isEmpty())
                .map(c -> c._additionalProperties().get("verigen").convert(Map.class).get("event")).toList();
        assertThat(events).contains("run.started", "step.finished", "run.finished");
        assertThat(chunks.getLast().usage().orElseThrow().totalTokens()).isPositive();
    }

    /** Mistakes come back as the client's own exceptions carrying our message and field. */
    static void errors(OpenAIClient client, OpenAIClient badKey) {
        NotFoundException unknown = catchThrowableOfType(NotFoundException.class,
                () -> client.chat().completions().create(ask("gpt-4o").build()));
        assertThat(unknown.param()).hasValue("model");
        BadRequestException hot = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(ask(MODEL).temperature(3.0).build()));
        assertThat(hot.param()).hasValue("temperature");
        assertThat(catchThrowableOfType(UnauthorizedException.class,
                () -> badKey.chat().completions().create(ask(MODEL).build()))).isNotNull();
    }
}
