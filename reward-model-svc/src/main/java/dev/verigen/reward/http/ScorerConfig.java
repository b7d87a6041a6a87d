package dev.verigen.reward.http;

import dev.verigen.support.resilience.ResiliencePolicy;
import dev.verigen.reward.scoring.Aggregation;
import dev.verigen.reward.scoring.Steps;
import java.net.URI;
import java.time.Duration;

/**
 * One configured reward model, {@code verigen.reward.scorers.<name>.*}. Which keys matter depends on {@code type};
 * every key but {@code type} and {@code base-url} is optional.
 *
 * @param type                the backend: {@code vllm-reward} (outcome RM), {@code vllm-pooling} (process RM),
 *                            {@code tei-rerank} (reranker), or the type of any other {@link RewardBackend} bean
 * @param baseUrl             server root, e.g. {@code http://vllm-rm:8000}
 * @param model               the {@code model} field of vLLM requests (TEI serves one model and gets none)
 * @param apiKey              bearer token, usually {@code ${SOME_ENV:}}; blank = read env {@code apiKeyEnv}, else none.
 *                            Never logged, never in messages or {@code toString()}
 * @param apiKeyEnv           name of an environment variable holding the key, read when {@code apiKey} is blank
 * @param endpoint            vllm-reward only: {@code pooling} (POST /pooling, default), {@code classify}
 *                            (POST /classify) or {@code score} (POST /score, prompt as text_1)
 * @param path                overrides the endpoint's path (e.g. {@code /v1/score} or a proxy's route)
 * @param template            how prompt and response become one input text for pooling/classify, with
 *                            {@code {prompt}} and {@code {response}}; default {@code "{prompt}\n\n{response}"}. Put the
 *                            RM's chat template here when it has one
 * @param labelIndex          which element of a score vector is the reward (e.g. the positive class of
 *                            {@code [p_neg, p_pos]}); negative counts from the end; default -1 (the last)
 * @param transform           {@code none} (default) or {@code sigmoid}, for RMs that return raw logits
 * @param aggregation         vllm-pooling only: {@code last}, {@code min} (default), {@code product} or {@code mean};
 *                            a job picks another with {@code <name>:<rule>}
 * @param stepDelimiter       vllm-pooling only: splits a candidate into steps; default {@code "\n\n"} (escapes
 *                            {@code \n} are understood)
 * @param stepTag             vllm-pooling only: appended after every step, the token the server's STEP pooler scores;
 *                            default {@code <extra_0>} (Qwen2.5-Math-PRM)
 * @param mode                tei-rerank only: {@code pointwise} (default: one rerank of all candidates) or
 *                            {@code pairwise} (win rates from a rerank per pair)
 * @param pairwiseConcurrency pairwise comparisons in flight per job; default 8
 * @param timeout             limit of one HTTP request; default 30s
 * @param connectTimeout      limit of opening a connection; default 5s
 * @param resilience          this scorer's own policies, replacing {@code verigen.reward.resilience} as a whole
 */
public record ScorerConfig(String type, URI baseUrl, String model, String apiKey, String apiKeyEnv, Endpoint endpoint,
                           String path, String template, Integer labelIndex, Transform transform,
                           Aggregation aggregation, String stepDelimiter, String stepTag, Mode mode,
                           Integer pairwiseConcurrency, Duration timeout, Duration connectTimeout,
                           ResiliencePolicy resilience) {

    public enum Endpoint { POOLING, CLASSIFY, SCORE }

    public enum Transform { NONE, SIGMOID }

    public enum Mode { POINTWISE, PAIRWISE }

    public static final String DEFAULT_TEMPLATE = "{prompt}\n\n{response}";

    public ScorerConfig {
        apiKey = apiKey == null || apiKey.isBlank()
                ? (apiKeyEnv == null || apiKeyEnv.isBlank() ? null : System.getenv(apiKeyEnv.strip()))
                : apiKey;
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        endpoint = endpoint == null ? Endpoint.POOLING : endpoint;
        template = template == null ? DEFAULT_TEMPLATE : Steps.unescape(template);
        labelIndex = labelIndex == null ? -1 : labelIndex;
        transform = transform == null ? Transform.NONE : transform;
        aggregation = aggregation == null ? Aggregation.MIN : aggregation;
        stepDelimiter = stepDelimiter == null || stepDelimiter.isEmpty() ? "\n\n" : Steps.unescape(stepDelimiter);
        stepTag = stepTag == null ? "<extra_0>" : Steps.unescape(stepTag);
        mode = mode == null ? Mode.POINTWISE : mode;
        pairwiseConcurrency = pairwiseConcurrency == null ? 8 : pairwiseConcurrency;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    }

    /** A config of the given type and server with every other key at its default; handy in code and tests. */
    public static ScorerConfig of(String type, URI baseUrl, String model) {
        return new ScorerConfig(type, baseUrl, model, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /** Checked when the scorer is built, so a bad entry fails startup naming the scorer. */
    void validate(String name) {
        String prefix = "verigen.reward.scorers." + name;
        if (type == null || type.isBlank()) {
            throw new IllegalStateException(prefix + ".type must be set");
        }
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalStateException(prefix + ".base-url must be an absolute http(s) URL");
        }
        if (!timeout.isPositive() || !connectTimeout.isPositive()) {
            throw new IllegalStateException(prefix + " timeouts must be positive");
        }
        if (pairwiseConcurrency < 1) {
            throw new IllegalStateException(prefix + ".pairwise-concurrency must be >= 1");
        }
        if (!template.contains("{response}")) {
            throw new IllegalStateException(prefix + ".template must contain {response}");
        }
    }

    /** The input text of a (prompt, response) pair for pooling/classify endpoints. */
    public String render(String prompt, String response) {
        return template.replace("{prompt}", prompt).replace("{response}", response);
    }

    /** Never prints the key: this record ends up in startup logs and error reports. */
    @Override
    public String toString() {
        return "ScorerConfig[type=" + type + ", baseUrl=" + baseUrl + ", model=" + model
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", endpoint=" + endpoint + ", path=" + path
                + ", labelIndex=" + labelIndex + ", transform=" + transform + ", aggregation=" + aggregation
                + ", stepDelimiter=" + escape(stepDelimiter) + ", stepTag=" + stepTag + ", mode=" + mode
                + ", timeout=" + timeout + "]";
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\t", "\\t");
    }
}
