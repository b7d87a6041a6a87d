package dev.verigen.worker.openai;

import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.openai.OpenAiWire.Choice;
import dev.verigen.worker.openai.OpenAiWire.Reply;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a streamed ({@code "stream": true}) OpenAI response — server-sent events, one {@code data:} chunk per token or
 * few — into the same {@link Reply} a plain response gives, watching the job's control on the way: each choice reports
 * its text so far every {@code progressTokens} tokens, and a cancel stops reading at once (the caller then closes the
 * connection, which is how an OpenAI-compatible server is told to stop generating).
 *
 * <p>Tokens per choice are counted from the chunks' log-probabilities when they carry them, else one per content
 * chunk (what vLLM, SGLang and llama.cpp server send); a final usage chunk ({@code stream_options.include_usage}), when
 * the server sends one, gives the totals. A cancelled stream has no usage chunk: its prompt tokens are then estimated
 * at four characters a token.
 *
 * <p>The chunks' arrival times give what a plain reply cannot: time to first token (from the job's start to the first
 * content chunk, queueing at the server and prefill included) and the mean inter-token latency (each choice's time
 * from its first content chunk to its last, over the tokens after the first chunk), as vLLM's
 * {@code time_to_first_token} and {@code inter_token_latency} histograms measure them.
 */
final class OpenAiStream {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String DATA = "data:";

    /** @param cancelled the job was cancelled before the stream ended; the choices are what came until then */
    record Result(Reply reply, boolean cancelled) {
    }

    private static final class Growing {
        final StringBuilder text = new StringBuilder();
        double logprob;
        int logprobTokens;
        boolean hasLogprobs;
        int chunks;
        String finish;
        long nextReport;
        long firstNanos;
        long lastNanos;
        long timedTokens;

        long tokens() {
            return hasLogprobs ? logprobTokens : chunks;
        }
    }

    private OpenAiStream() {
    }

    /**
     * @param prompt         the request's prompt, for the estimate of a cancelled stream's prompt tokens
     * @param indexOffset    added to the server's choice index when reporting progress (a fanned-out request's sample)
     */
    static Result read(InputStream body, OpenAiProperties.Endpoint endpoint, String prompt, EngineControl control,
                       int progressTokens, int indexOffset, long engineMs) throws IOException {
        return read(body, endpoint, prompt, control, progressTokens, indexOffset, engineMs, System.nanoTime());
    }

    /**
     * @param startNanos when the job started ({@link System#nanoTime()}): time to first token is measured from it, as
     *                   the simulator and llama.cpp measure theirs (queueing at the server and prefill included)
     */
    static Result read(InputStream body, OpenAiProperties.Endpoint endpoint, String prompt, EngineControl control,
                       int progressTokens, int indexOffset, long engineMs, long startNanos) throws IOException {
        TreeMap<Integer, Growing> choices = new TreeMap<>();
        long promptTokens = -1;
        long completionTokens = -1;
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String line;
        boolean done = false;
        while (!done && (line = reader.readLine()) != null) {
            long arrived = System.nanoTime(); // before parsing: the first chunk's parse also loads the JSON classes
            if (control.cancelled()) {
                return new Result(reply(choices, prompt, -1, -1, true, startNanos), true);
            }
            if (!line.startsWith(DATA)) {
                continue; // blank separators, comments, "event:" lines
            }
            String data = line.substring(DATA.length()).strip();
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk;
            try {
                chunk = MAPPER.readTree(data);
            } catch (JacksonException e) {
                throw new EngineException(EngineErrors.MALFORMED_RESPONSE, "openai: a streamed chunk is not JSON: "
                        + e.getOriginalMessage(), true, engineMs);
            }
            if (chunk.path("error").isObject()) {
                throw new EngineException(EngineErrors.ENGINE_ERROR, "openai: the stream ended with an error: "
                        + chunk.path("error").path("message").asString(""), true, engineMs);
            }
            for (JsonNode choice : chunk.path("choices")) {
                int index = choice.path("index").asInt(0);
                Growing g = choices.computeIfAbsent(index, i -> new Growing());
                long before = g.tokens();
                append(endpoint, choice, g);
                if (g.tokens() > before) {
                    if (g.firstNanos == 0) {
                        g.firstNanos = arrived;
                        g.timedTokens = g.tokens() - before; // tokens that came with the first chunk
                    }
                    g.lastNanos = arrived;
                }
                if (progressTokens > 0 && g.nextReport == 0) {
                    g.nextReport = progressTokens;
                }
                if (progressTokens > 0 && g.finish == null && g.tokens() >= g.nextReport) {
                    control.progress(index + indexOffset, g.text.toString(), g.tokens());
                    g.nextReport = (g.tokens() / progressTokens + 1) * progressTokens;
                }
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                promptTokens = usage.path("prompt_tokens").asLong(-1);
                completionTokens = usage.path("completion_tokens").asLong(-1);
            }
        }
        if (control.cancelled() && !done) {
            return new Result(reply(choices, prompt, -1, -1, true, startNanos), true);
        }
        if (choices.isEmpty()) {
            throw new EngineException(EngineErrors.MALFORMED_RESPONSE, "openai: the stream had no choices", true,
                    engineMs);
        }
        return new Result(reply(choices, prompt, promptTokens, completionTokens, false, startNanos), false);
    }

    private static void append(OpenAiProperties.Endpoint endpoint, JsonNode choice, Growing g) {
        JsonNode content = endpoint == OpenAiProperties.Endpoint.CHAT
                ? choice.path("delta").path("content") : choice.path("text");
        if (content.isString() && !content.asString().isEmpty()) {
            g.text.append(content.asString());
            g.chunks++;
        }
        JsonNode values = endpoint == OpenAiProperties.Endpoint.CHAT
                ? choice.path("logprobs").path("content") : choice.path("logprobs").path("token_logprobs");
        if (values.isArray()) {
            g.hasLogprobs = true;
            for (JsonNode v : values) {
                JsonNode lp = endpoint == OpenAiProperties.Endpoint.CHAT ? v.path("logprob") : v;
                if (lp.isNumber()) {
                    g.logprob += lp.asDouble();
                }
                g.logprobTokens++;
            }
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isString()) {
            String reason = finish.asString();
            g.finish = reason.equals("length") || reason.equals("max_tokens") ? "length" : "stop";
        }
    }

    private static Reply reply(TreeMap<Integer, Growing> choices, String prompt, long promptTokens,
                               long completionTokens, boolean cancelled, long startNanos) {
        List<Choice> out = new ArrayList<>(choices.size());
        long counted = 0;
        long first = Long.MAX_VALUE;
        double gaps = 0;
        long gapCount = 0;
        for (var e : choices.entrySet()) {
            Growing g = e.getValue();
            if (g.firstNanos != 0) {
                first = Math.min(first, g.firstNanos);
                long after = g.tokens() - g.timedTokens; // tokens that came after the first chunk's
                if (after > 0) {
                    gaps += (g.lastNanos - g.firstNanos) / 1e6;
                    gapCount += after;
                }
            }
            String finish = g.finish != null ? g.finish : cancelled ? "cancelled" : "stop";
            out.add(new Choice(e.getKey(), g.text.toString(), finish, g.hasLogprobs ? g.logprob : null,
                    (int) g.tokens()));
            counted += g.tokens();
        }
        long prompted = promptTokens >= 0 ? promptTokens : (prompt.length() + 3) / 4;
        Double firstTokenMs = first == Long.MAX_VALUE ? null : Math.max(0, first - startNanos) / 1e6;
        Double interTokenMs = gapCount == 0 ? null : gaps / gapCount;
        return new Reply(out, prompted, Math.max(completionTokens, counted), firstTokenMs, interTokenMs);
    }
}
