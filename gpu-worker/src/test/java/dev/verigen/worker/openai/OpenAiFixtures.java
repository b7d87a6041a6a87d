package dev.verigen.worker.openai;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Requests and settings shared by the openai tests. */
public final class OpenAiFixtures {

    public static final String API_KEY = "sk-test-5ecret-key-0123456789";
    public static final String PROMPT = "<|im_start|>user\nWhat is 17 + 25?<|im_end|>\n<|im_start|>assistant\n";

    private OpenAiFixtures() {
    }

    public static OpenAiProperties config(FakeOpenAiServer server, OpenAiProperties.Endpoint endpoint,
                                          OpenAiProperties.NSupport nSupport, Duration requestTimeout) {
        return config(server, endpoint, nSupport, requestTimeout, OpenAiProperties.Stream.NEVER);
    }

    /** Settings for a backend that streams as configured ({@code never}: the plain requests most tests cover). */
    public static OpenAiProperties config(FakeOpenAiServer server, OpenAiProperties.Endpoint endpoint,
                                          OpenAiProperties.NSupport nSupport, Duration requestTimeout,
                                          OpenAiProperties.Stream stream) {
        return new OpenAiProperties(server.baseUrl(), API_KEY, "Qwen/Qwen2.5-Math-1.5B-Instruct", endpoint, nSupport,
                requestTimeout, Duration.ofSeconds(2), stream);
    }

    public static OpenAiProperties config(FakeOpenAiServer server) {
        return config(server, OpenAiProperties.Endpoint.CHAT, OpenAiProperties.NSupport.AUTO, Duration.ofSeconds(5));
    }

    public static EngineRequest request(int n, boolean logprobs) {
        var sampling = new SamplingParams(0.7, 0.95, 64, 42L, List.of("\n\n"), logprobs);
        return new EngineRequest(meta(), "qwen-math", PROMPT, "What is 17 + 25?", sampling, n);
    }

    public static JobMeta meta() {
        return new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null, null);
    }
}
