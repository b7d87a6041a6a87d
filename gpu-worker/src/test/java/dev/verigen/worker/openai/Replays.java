package dev.verigen.worker.openai;

import java.util.ArrayList;
import java.util.List;

/**
 * Response bodies in the shapes the servers really send (fields as observed from vLLM 0.x, llama.cpp server and
 * Ollama's /v1 endpoints), trimmed to one line each. Texts and numbers are made up.
 */
final class Replays {

    private Replays() {
    }

    /** vLLM /v1/chat/completions honouring n, with logprobs: one entry per token under logprobs.content. */
    static String vllmChat(List<String> texts, List<List<Double>> logprobs, int promptTokens) {
        List<String> choices = new ArrayList<>();
        int completion = 0;
        for (int i = 0; i < texts.size(); i++) {
            List<String> tokens = new ArrayList<>();
            for (double lp : logprobs.get(i)) {
                tokens.add("{\"token\":\"t\",\"logprob\":" + lp + ",\"bytes\":[116],\"top_logprobs\":[]}");
            }
            completion += logprobs.get(i).size();
            choices.add("{\"index\":" + i + ",\"message\":{\"role\":\"assistant\",\"reasoning_content\":null,\"content\":"
                    + quote(texts.get(i)) + ",\"tool_calls\":[]},\"logprobs\":{\"content\":[" + String.join(",", tokens)
                    + "]},\"finish_reason\":\"" + (i == texts.size() - 1 ? "length" : "stop") + "\",\"stop_reason\":null}");
        }
        return "{\"id\":\"chatcmpl-9f2c\",\"object\":\"chat.completion\",\"created\":1767225600,"
                + "\"model\":\"Qwen/Qwen2.5-Math-1.5B-Instruct\",\"choices\":[" + String.join(",", choices) + "],"
                + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + (promptTokens + completion)
                + ",\"completion_tokens\":" + completion + ",\"prompt_tokens_details\":null},\"prompt_logprobs\":null,"
                + "\"kv_transfer_params\":null}";
    }

    /** vLLM /v1/completions with logprobs=1: token_logprobs per choice (the first null, as when echoing the prompt). */
    static String vllmCompletions(List<String> texts, List<List<Double>> logprobs, int promptTokens) {
        List<String> choices = new ArrayList<>();
        int completion = 0;
        for (int i = 0; i < texts.size(); i++) {
            List<String> values = new ArrayList<>();
            values.add("null");
            logprobs.get(i).forEach(lp -> values.add(Double.toString(lp)));
            completion += logprobs.get(i).size() + 1;
            choices.add("{\"index\":" + i + ",\"text\":" + quote(texts.get(i)) + ",\"logprobs\":{\"text_offset\":[],"
                    + "\"token_logprobs\":[" + String.join(",", values) + "],\"tokens\":[],\"top_logprobs\":[]},"
                    + "\"finish_reason\":\"length\",\"stop_reason\":null,\"prompt_logprobs\":null}");
        }
        return "{\"id\":\"cmpl-41a7\",\"object\":\"text_completion\",\"created\":1767225600,"
                + "\"model\":\"Qwen/Qwen2.5-Math-1.5B\",\"choices\":[" + String.join(",", choices) + "],"
                + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + (promptTokens + completion)
                + ",\"completion_tokens\":" + completion + ",\"prompt_tokens_details\":null},\"kv_transfer_params\":null}";
    }

    /** llama.cpp server /v1/chat/completions: always one choice, whatever n says; adds its own "timings". */
    static String llamaCppChat(String text, int promptTokens, int completionTokens) {
        return "{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(text) + "}}],\"created\":1767225600,\"model\":\"qwen2.5-math-1.5b-instruct-q8_0.gguf\","
                + "\"system_fingerprint\":\"b6000-1a2b3c4d\",\"object\":\"chat.completion\",\"usage\":{\"completion_tokens\":"
                + completionTokens + ",\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":"
                + (promptTokens + completionTokens) + "},\"id\":\"chatcmpl-XyZ\",\"timings\":{\"prompt_n\":" + promptTokens
                + ",\"prompt_ms\":12.5,\"predicted_n\":" + completionTokens + ",\"predicted_ms\":80.1}}";
    }

    /** llama.cpp server's answer to n > 1 in recent versions: a 400 instead of ignoring it. */
    static String llamaCppOnlyOneChoice() {
        return "{\"error\":{\"code\":400,\"message\":\"Only one completion choice is allowed\",\"type\":\"invalid_request_error\"}}";
    }

    /** Ollama's OpenAI-compatible /v1/chat/completions: one choice, its usage shape, fp_ollama fingerprint. */
    static String ollamaChat(String text, String finishReason, int promptTokens, int completionTokens) {
        return "{\"id\":\"chatcmpl-312\",\"object\":\"chat.completion\",\"created\":1767225600,"
                + "\"model\":\"qwen2.5-math:1.5b\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + quote(text) + "},\"finish_reason\":\""
                + finishReason + "\"}],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":"
                + completionTokens + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
