package dev.verigen.worker.openai;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of the {@code openai} backend ({@code verigen.worker.openai.*}): any server speaking the OpenAI HTTP API
 * (OpenAI itself, vLLM, llama.cpp server, Ollama, SGLang, TGI ...), chosen by configuration alone.
 *
 * @param baseUrl        server root, with or without a trailing {@code /v1} (e.g. {@code http://vllm:8000})
 * @param apiKey         sent as {@code Authorization: Bearer}; blank = taken from env {@code OPENAI_API_KEY}, or none
 * @param model          the {@code model} field of every request
 * @param endpoint       {@code chat} (/v1/chat/completions, prompt as one user message) or {@code completions}
 *                       (/v1/completions, prompt sent verbatim, for prompts that are already templated)
 * @param nSupport       how to get n samples: {@code auto} (ask for n, fan out the shortfall and remember that the server
 *                       ignores n), {@code native} (trust n; a shortfall is a malformed response) or {@code fanout}
 *                       (always n single requests)
 * @param requestTimeout limit of one HTTP request, headers and body (of a streamed request: until the stream starts)
 * @param connectTimeout limit of opening the connection
 * @param stream         {@code always} (default): every request streams ({@code "stream": true}), so a cancelled job
 *                       stops the server's generation by closing the connection, and partial samples can be
 *                       reported; {@code progress}: only jobs that asked for partial samples stream; {@code never}:
 *                       plain requests, which a cancel can stop only between fanned-out requests
 */
@ConfigurationProperties("verigen.worker.openai")
public record OpenAiProperties(URI baseUrl, String apiKey, String model, Endpoint endpoint, NSupport nSupport,
                               Duration requestTimeout, Duration connectTimeout, Stream stream) {

    public enum Endpoint { CHAT, COMPLETIONS }

    public enum NSupport { AUTO, NATIVE, FANOUT }

    public enum Stream { ALWAYS, PROGRESS, NEVER }

    public OpenAiProperties {
        baseUrl = baseUrl == null ? URI.create("http://localhost:8000") : baseUrl;
        apiKey = apiKey == null || apiKey.isBlank() ? System.getenv("OPENAI_API_KEY") : apiKey;
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        endpoint = endpoint == null ? Endpoint.CHAT : endpoint;
        nSupport = nSupport == null ? NSupport.AUTO : nSupport;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        stream = stream == null ? Stream.ALWAYS : stream;
    }

    /**
     * Checked by the backend, not here: this record is bound on every worker (properties scan), also where another
     * backend runs and nothing of it is set.
     */
    void validate() {
        if (model == null || model.isBlank()) {
            throw new IllegalStateException("verigen.worker.openai.model (OPENAI_MODEL) must be set for backend openai");
        }
        if (baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalStateException("verigen.worker.openai.base-url (OPENAI_BASE_URL) must be an absolute http(s) URL");
        }
        if (!requestTimeout.isPositive() || !connectTimeout.isPositive()) {
            throw new IllegalStateException("verigen.worker.openai timeouts must be positive");
        }
    }

    /** The endpoint's full URL; {@code /v1} is added unless the base URL already ends with it. */
    public URI endpointUri() {
        String base = baseUrl.toString().replaceAll("/+$", "");
        if (!base.endsWith("/v1")) {
            base += "/v1";
        }
        return URI.create(base + (endpoint == Endpoint.CHAT ? "/chat/completions" : "/completions"));
    }

    /** Never prints the key: this record ends up in startup logs and error reports. */
    @Override
    public String toString() {
        return "OpenAiProperties[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", model=" + model + ", endpoint=" + endpoint + ", nSupport=" + nSupport
                + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout + ", stream=" + stream + "]";
    }
}
