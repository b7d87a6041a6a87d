package dev.verigen.orchestrator.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's wire objects as this API writes them. Members OpenAI always sends, even when null ({@code logprobs},
 * {@code refusal}, a chunk's {@code finish_reason}), are always written: strict clients check for them.
 */
public final class ChatWire {

    public static final String COMPLETION = "chat.completion";
    public static final String CHUNK = "chat.completion.chunk";

    private ChatWire() {
    }

    public static String id(Object runId) {
        return "chatcmpl-" + runId;
    }

    /** @param verigen the metadata block; only with {@code verigen.metadata: true} */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(String id, String object, long created, String model, List<Choice> choices,
                             Usage usage, Map<String, Object> verigen) {
    }

    public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason,
                         Object logprobs) {
    }

    public record Message(String role, String content, String refusal) {
        public static Message assistant(String content) {
            return new Message("assistant", content, null);
        }
    }

    public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                        @JsonProperty("completion_tokens") long completionTokens,
                        @JsonProperty("total_tokens") long totalTokens) {
        public static Usage of(long prompt, long completion) {
            return new Usage(prompt, completion, prompt + completion);
        }
    }

    /**
     * A streamed chunk: progress ({@code choices} empty, {@code verigen} describing the run's event), a piece of a
     * choice, or the usage at the end.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices, Usage usage,
                        Map<String, Object> verigen) {
    }

    public record ChunkChoice(int index, Delta delta,
                              @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason,
                              Object logprobs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    /** An entry of {@code GET /v1/models}; {@code verigen} says what the name runs. */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                        Map<String, Object> verigen) {
    }

    public record ModelList(String object, List<Model> data) {
    }
}
