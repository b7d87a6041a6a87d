package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.support.problems.ApiProblem;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an OpenAI chat completion request, field names as OpenAI spells them. Fields fall in three groups (the
 * tables are in docs/openai.md): used; standard fields that do not change the answer, accepted and ignored; and
 * features this API cannot honour, refused when set to anything but their neutral value — never ignored, since the
 * client would get an answer it did not ask for. Any other field is refused, as misspelt options are elsewhere.
 */
@Component
public class ChatRequestParser {

    static final int MAX_CHOICES = 128;
    static final Set<String> USED = Set.of("model", "messages", "n", "temperature", "top_p", "max_tokens",
            "max_completion_tokens", "stop", "seed", "stream", "stream_options", "verigen");
    static final Set<String> IGNORED = Set.of("user", "metadata", "store", "service_tier", "prompt_cache_key",
            "safety_identifier", "parallel_tool_calls", "reasoning_effort", "verbosity", "prompt_cache_retention",
            "prompt_cache_options");
    static final Set<String> UNSUPPORTED = Set.of("tools", "tool_choice", "functions", "function_call",
            "response_format", "logprobs", "top_logprobs", "logit_bias", "frequency_penalty", "presence_penalty",
            "audio", "modalities", "prediction", "web_search_options", "moderation");
    private static final Set<String> STREAM_OPTIONS = Set.of("include_usage", "include_obfuscation");
    private static final Set<String> EXTENSION = Set.of("pipeline", "budget", "reference", "metadata", "timeoutSeconds");
    private static final Set<String> BUDGET = Set.of("maxTokens", "maxCalls", "maxFlops");
    private static final int MAX_STOP = 4;
    private static final int MAX_STOP_LENGTH = 64;

    private final OrchestratorProperties properties;
    private final OpenAiProperties settings;

    public ChatRequestParser(OrchestratorProperties properties, OpenAiProperties settings) {
        this.properties = properties;
        this.settings = settings;
    }

    /**
     * @param budgetHeader the {@code X-Verigen-Budget} header, or null
     * @throws ApiProblem 400 naming every invalid field
     */
    public ChatRequest parse(JsonNode body, String budgetHeader) {
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object");
            throw ApiProblem.invalid(f.errors());
        }
        for (String name : body.propertyNames()) {
            if (!USED.contains(name) && !IGNORED.contains(name) && !UNSUPPORTED.contains(name)) {
                f.reject(name, "unknown field; Verigen options go in the 'verigen' object");
            }
        }
        unsupported(body, f);
        var limits = properties.limits();
        String model = f.text(body, "model", "model", true, ModelName.MAX_LENGTH);
        String prompt = MessageRenderer.render(body.get("messages"), f);
        Long n = f.integer(body, "n", "n", 1, MAX_CHOICES);
        Double temperature = f.decimal(body, "temperature", "temperature", 0, 2);
        Double topP = f.decimal(body, "top_p", "top_p", 0, 1);
        Long maxTokens = f.integer(body, "max_tokens", "max_tokens", 1, limits.maxTokensPerSample());
        Long maxCompletionTokens = f.integer(body, "max_completion_tokens", "max_completion_tokens", 1,
                limits.maxTokensPerSample());
        if (maxTokens != null && maxCompletionTokens != null && !maxTokens.equals(maxCompletionTokens)) {
            f.reject("max_tokens", "differs from max_completion_tokens; send one of them");
        }
        List<String> stop = stop(body, f);
        Long seed = f.integer(body, "seed", "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        boolean stream = Boolean.TRUE.equals(f.bool(body, "stream", "stream"));
        boolean includeUsage = streamOptions(body, stream, f);
        ChatRequest.Extension verigen = extension(body, f);
        ChatRequest.Budget budget = budget(body.get("verigen"), budgetHeader, f);
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        Long tokens = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        // a top_p of 0 means "only the likeliest token"; the engine wants a positive nucleus
        Double nucleus = topP == null ? null : Math.max(topP, 1e-6);
        return new ChatRequest(model, prompt, n == null ? 1 : n.intValue(), temperature, nucleus,
                tokens == null ? null : tokens.intValue(), stop, seed, stream, includeUsage, verigen, budget);
    }

    /** Set to a neutral value (null, false, 0, empty, "none", text-only) these fields change nothing, so pass. */
    private static void unsupported(JsonNode body, JsonFields f) {
        for (String name : UNSUPPORTED) {
            JsonNode value = body.get(name);
            if (value == null || neutral(name, value)) {
                continue;
            }
            f.reject(name, switch (name) {
                case "tools", "tool_choice", "functions", "function_call" ->
                        "is not supported: this API does not call tools";
                case "response_format" -> "only {\"type\": \"text\"} is supported; structured output can be checked "
                        + "with a json_schema verifier (verigen.pipeline.verifier) instead";
                case "logprobs", "top_logprobs" -> "is not supported: answers are selected among samples, "
                        + "their token log-probabilities are not returned";
                default -> "is not supported";
            });
        }
    }

    private static boolean neutral(String name, JsonNode value) {
        if (value.isNull() || (value.isBoolean() && !value.booleanValue())
                || (value.isNumber() && value.doubleValue() == 0) || (value.isContainer() && value.isEmpty())) {
            return true;
        }
        return switch (name) {
            case "tool_choice", "function_call" -> value.isString() && value.stringValue().equals("none");
            case "response_format" -> value.isObject() && value.size() == 1 && value.path("type").isString()
                                      && value.path("type").stringValue().equals("text");
            case "modalities" -> value.isArray() && value.size() == 1 && value.get(0).isString()
                                 && value.get(0).stringValue().equals("text");
            default -> false;
        };
    }

    private static List<String> stop(JsonNode body, JsonFields f) {
        JsonNode stop = body.get("stop");
        if (stop == null || stop.isNull()) {
            return null;
        }
        if (stop.isString()) {
            String s = stop.stringValue();
            if (s.isEmpty() || s.length() > MAX_STOP_LENGTH) {
                f.reject("stop", "must be a non-empty string of at most " + MAX_STOP_LENGTH + " characters");
                return null;
            }
            return List.of(s);
        }
        return f.strings(body, "stop", "stop", MAX_STOP, MAX_STOP_LENGTH);
    }

    private static boolean streamOptions(JsonNode body, boolean stream, JsonFields f) {
        JsonNode options = f.object(body, "stream_options", "stream_options", false);
        if (options == null) {
            return false;
        }
        if (!stream) {
            f.reject("stream_options", "is only allowed when stream is true");
            return false;
        }
        f.onlyKnown(options, "stream_options", STREAM_OPTIONS);
        f.bool(options, "include_obfuscation", "stream_options.include_obfuscation");
        return Boolean.TRUE.equals(f.bool(options, "include_usage", "stream_options.include_usage"));
    }

    private ChatRequest.Extension extension(JsonNode body, JsonFields f) {
        JsonNode verigen = f.object(body, "verigen", "verigen", false);
        if (verigen == null) {
            return ChatRequest.Extension.NONE;
        }
        f.onlyKnown(verigen, "verigen", EXTENSION);
        JsonNode pipeline = f.object(verigen, "pipeline", "verigen.pipeline", false);
        if (pipeline != null && pipeline.has("model")) {
            f.reject("verigen.pipeline.model", "the model pool comes from the top-level 'model' "
                    + "(e.g. bon-8/<pool>, or <saved-pipeline>/<pool>)");
        }
        String reference = f.text(verigen, "reference", "verigen.reference", false,
                properties.limits().maxPromptChars());
        Boolean metadata = f.bool(verigen, "metadata", "verigen.metadata");
        long maxTimeout = Math.max(1, settings.completionTimeout().toSeconds());
        Long timeout = f.integer(verigen, "timeoutSeconds", "verigen.timeoutSeconds", 1, maxTimeout);
        return new ChatRequest.Extension((ObjectNode) pipeline, reference, Boolean.TRUE.equals(metadata),
                timeout == null ? null : timeout.intValue());
    }

    private static ChatRequest.Budget budget(JsonNode verigen, String header, JsonFields f) {
        JsonNode budget = verigen == null || !verigen.isObject() ? null
                : f.object(verigen, "budget", "verigen.budget", false);
        ChatRequest.Budget fromHeader = null;
        try {
            fromHeader = BudgetHeader.parse(header);
        } catch (ApiProblem e) {
            f.errors().addAll(e.errors());
        }
        if (budget == null) {
            return fromHeader;
        }
        if (header != null) {
            f.reject("verigen.budget", "the budget is also in the " + BudgetHeader.NAME + " header; give it once");
            return null;
        }
        f.onlyKnown(budget, "verigen.budget", BUDGET);
        return new ChatRequest.Budget(f.integer(budget, "maxTokens", "verigen.budget.maxTokens", 1, Long.MAX_VALUE / 4),
                f.integer(budget, "maxCalls", "verigen.budget.maxCalls", 1, Long.MAX_VALUE / 4),
                f.positiveNumber(budget, "maxFlops", "verigen.budget.maxFlops"), "verigen.budget");
    }
}
