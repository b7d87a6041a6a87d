package dev.verigen.orchestrator.openai;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A valid {@code POST /v1/chat/completions} body. Sampling settings are null when the request leaves them to the
 * model's pipeline.
 *
 * @param prompt  the conversation rendered as the run's prompt ({@link MessageRenderer})
 * @param choices how many choices to answer with (OpenAI's {@code n})
 */
public record ChatRequest(String model, String prompt, int choices, Double temperature, Double topP,
                          Integer maxTokens, List<String> stop, Long seed, boolean stream, boolean includeUsage,
                          Extension verigen, Budget budget) {

    /**
     * The {@code verigen} extension object.
     *
     * @param pipeline       merged into the model's pipeline; null when absent
     * @param reference      the reference answer verifiers check against; null when absent
     * @param metadata       whether the answer carries a {@code verigen} block (run, candidates, votes)
     * @param timeoutSeconds how long to wait for the run; null for the configured completion timeout
     */
    public record Extension(ObjectNode pipeline, String reference, boolean metadata, Integer timeoutSeconds) {
        public static final Extension NONE = new Extension(null, null, false, null);
    }

    /**
     * The run's budget caps, null where absent.
     *
     * @param field where it came from: {@code X-Verigen-Budget} or {@code verigen.budget}
     */
    public record Budget(Long maxTokens, Long maxCalls, Double maxFlops, String field) {
    }
}
