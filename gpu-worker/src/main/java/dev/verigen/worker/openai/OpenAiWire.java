package dev.verigen.worker.openai;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The OpenAI wire format, both endpoints: request bodies out, choices and usage in. Read leniently (tree model, unknown
 * fields ignored) because the servers differ in what they add (vLLM, llama.cpp and Ollama all add fields of their own),
 * but strictly where it matters: no choices, or a choice without text, is a malformed response.
 */
final class OpenAiWire {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One choice as the server sent it; {@code tokens} is the logprob token count where known, else null. */
    record Choice(int index, String text, String finishReason, Double logprob, Integer tokens) {
    }

    /** A parsed response; usage fields are 0 where the server sent none. */
    /**
     * @param firstTokenMs from the job's start to the reply's first generated token; null unless streamed
     * @param interTokenMs mean time between two tokens of one choice after its first; null unless streamed (or when
     *                     no choice had two)
     */
    record Reply(List<Choice> choices, long promptTokens, long completionTokens, Double firstTokenMs,
                 Double interTokenMs) {

        Reply(List<Choice> choices, long promptTokens, long completionTokens) {
            this(choices, promptTokens, completionTokens, null, null);
        }
    }

    /**
     * An echoed scoring request: the continuation's summed log-probability and token count, and how many echoed
     * tokens lay wholly within the prompt.
     */
    record Echo(double logprob, int tokens, int promptTokens) {
    }

    private OpenAiWire() {
    }

    /** Scoring: echo the text's own token log-probabilities; one token is generated (some servers refuse 0). */
    static byte[] echoBody(String model, String text) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        body.put("prompt", text);
        body.put("echo", true);
        body.put("max_tokens", 1);
        body.put("temperature", 0.0);
        body.put("logprobs", 1);
        body.put("stream", false);
        return MAPPER.writeValueAsBytes(body);
    }

    /**
     * Sums the echoed log-probabilities of the tokens covering characters {@code [from, to)} of the echoed text (the
     * continuation after the prompt); the token generated past {@code to} is left out.
     *
     * @throws EngineException {@code scoring_unsupported} (not retryable) when the server echoed no prompt logprobs
     */
    static Echo parseEcho(String body, int from, int to, long engineMs) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw malformed("response is not JSON: " + e.getOriginalMessage(), engineMs);
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || choice.isMissingNode()) {
            throw malformed("response has no choices", engineMs);
        }
        JsonNode values = choice.path("logprobs").path("token_logprobs");
        JsonNode offsets = choice.path("logprobs").path("text_offset");
        JsonNode tokens = choice.path("logprobs").path("tokens");
        if (!values.isArray() || !offsets.isArray() || values.size() != offsets.size() || values.size() < 2) {
            throw new EngineException(EngineErrors.SCORING_UNSUPPORTED, "openai: the server returned no prompt "
                    + "log-probabilities for an echo request (completions with echo=true and logprobs, as vLLM serves)",
                    false, engineMs);
        }
        double sum = 0;
        int count = 0;
        int prompt = 0;
        for (int i = 0; i < values.size(); i++) {
            int start = offsets.get(i).asInt();
            int length = tokens.isArray() && i < tokens.size() ? (tokens.get(i).isString() ? tokens.get(i).asString().length() : 0) : 0;
            int end = i + 1 < offsets.size() ? Math.max(start + length, offsets.get(i + 1).asInt()) : start + length;
            if (start >= to) {
                break; // the generated token (and anything after the text)
            }
            if (end <= from && start < from) {
                prompt++;
                continue;
            }
            JsonNode lp = values.get(i);
            if (!lp.isNumber()) {
                // only the very first token of a text has no log-probability; a continuation's never lacks one
                throw new EngineException(EngineErrors.SCORING_UNSUPPORTED,
                        "openai: no log-probability for an echoed continuation token", false, engineMs);
            }
            sum += lp.asDouble();
            count++;
        }
        return new Echo(sum, count, prompt);
    }

    /**
     * @param n    samples asked of the server; 1 leaves {@code n} out, as servers that do not know it may reject it
     * @param seed the seed for this request (the request's seed + sample index when fanning out), or null
     */
    static byte[] requestBody(OpenAiProperties.Endpoint endpoint, String model, String prompt, SamplingParams sampling,
                              int n, Long seed) {
        return requestBody(endpoint, model, prompt, sampling, n, seed, false);
    }

    /** @param stream ask for server-sent events, with a final usage chunk */
    static byte[] requestBody(OpenAiProperties.Endpoint endpoint, String model, String prompt, SamplingParams sampling,
                              int n, Long seed, boolean stream) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        if (endpoint == OpenAiProperties.Endpoint.CHAT) {
            ObjectNode message = body.putArray("messages").addObject();
            message.put("role", "user");
            message.put("content", prompt);
        } else {
            body.put("prompt", prompt);
        }
        body.put("temperature", sampling.temperature());
        body.put("top_p", sampling.topP());
        body.put("max_tokens", sampling.maxTokens());
        if (seed != null) {
            body.put("seed", seed);
        }
        if (!sampling.stop().isEmpty()) {
            var stop = body.putArray("stop");
            sampling.stop().forEach(stop::add);
        }
        if (n > 1) {
            body.put("n", n);
        }
        if (sampling.logprobs()) {
            // chat: a boolean, per-token values under logprobs.content[]; completions: top-k count, values under token_logprobs
            if (endpoint == OpenAiProperties.Endpoint.CHAT) {
                body.put("logprobs", true);
            } else {
                body.put("logprobs", 1);
            }
        }
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return MAPPER.writeValueAsBytes(body);
    }

    static Reply parse(OpenAiProperties.Endpoint endpoint, String body, long engineMs) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw malformed("response is not JSON: " + e.getOriginalMessage(), engineMs);
        }
        if (root == null || !root.isObject()) {
            throw malformed("response is not a JSON object", engineMs);
        }
        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw malformed("response has no choices", engineMs);
        }
        List<Choice> parsed = new ArrayList<>(choices.size());
        int position = 0;
        for (JsonNode choice : choices) {
            parsed.add(choice(endpoint, choice, position++, engineMs));
        }
        // servers list choices by index, but nothing promises it
        parsed.sort(Comparator.comparingInt(Choice::index));
        JsonNode usage = root.path("usage");
        return new Reply(parsed, usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
    }

    private static Choice choice(OpenAiProperties.Endpoint endpoint, JsonNode choice, int position, long engineMs) {
        JsonNode textNode = endpoint == OpenAiProperties.Endpoint.CHAT
                ? choice.path("message").path("content")
                : choice.path("text");
        if (!textNode.isString()) {
            throw malformed("choice " + position + " has no "
                    + (endpoint == OpenAiProperties.Endpoint.CHAT ? "message.content" : "text"), engineMs);
        }
        int index = choice.path("index").asInt(position);
        // chat: logprobs.content[].logprob; completions: logprobs.token_logprobs[] (the first may be null when echoing)
        JsonNode values = endpoint == OpenAiProperties.Endpoint.CHAT
                ? choice.path("logprobs").path("content")
                : choice.path("logprobs").path("token_logprobs");
        Double logprob = null;
        Integer tokens = null;
        if (values.isArray()) {
            double sum = 0;
            int count = 0;
            for (JsonNode v : values) {
                JsonNode lp = endpoint == OpenAiProperties.Endpoint.CHAT ? v.path("logprob") : v;
                if (lp.isNumber()) {
                    sum += lp.asDouble();
                }
                count++;
            }
            logprob = sum;
            tokens = count;
        }
        return new Choice(index, textNode.asString(), finishReason(choice.path("finish_reason")), logprob, tokens);
    }

    /** The contract knows "stop" and "length"; "length" (and max_tokens, as some servers say) is a cut, all else a stop. */
    private static String finishReason(JsonNode node) {
        String reason = node.isString() ? node.asString() : "";
        return reason.equals("length") || reason.equals("max_tokens") ? "length" : "stop";
    }

    private static EngineException malformed(String message, long engineMs) {
        return new EngineException(EngineErrors.MALFORMED_RESPONSE, "openai: " + message, true, engineMs);
    }
}
