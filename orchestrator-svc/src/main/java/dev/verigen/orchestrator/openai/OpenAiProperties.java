package dev.verigen.orchestrator.openai;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenAI-compatible facade ({@code verigen.orchestrator.openai}).
 *
 * @param completionTimeout     how long a chat completion waits for its run before cancelling it (504); a request's
 *                              {@code verigen.timeoutSeconds} may ask for less, never more
 * @param heartbeatInterval     a streamed completion writes a comment line this often while nothing else happens, so
 *                              a client that went away is noticed (and its run cancelled) within about this long
 * @param listedSamples         the N of the presets {@code GET /v1/models} lists (any N within the limits resolves)
 * @param rewardModels          the outcome reward model presets rank with, by model pool; a pool without one uses
 *                              {@code likelihood:<pool>} (the pool's own model's likelihood of each answer)
 * @param processRewardModels   the process reward model step-wise presets (beam, dvts, pf) search with, by pool; a
 *                              pool without one uses {@code likelihood:<pool>}
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.openai")
public record OpenAiProperties(@NotNull Duration completionTimeout, @NotNull Duration heartbeatInterval,
                               List<Integer> listedSamples, Map<String, String> rewardModels,
                               Map<String, String> processRewardModels) {

    public OpenAiProperties {
        completionTimeout = positive(completionTimeout, Duration.ofMinutes(5));
        heartbeatInterval = positive(heartbeatInterval, Duration.ofSeconds(2));
        listedSamples = listedSamples == null || listedSamples.isEmpty() ? List.of(4, 8, 16) : List.copyOf(listedSamples);
        rewardModels = rewardModels == null ? Map.of() : Map.copyOf(rewardModels);
        processRewardModels = processRewardModels == null ? Map.of() : Map.copyOf(processRewardModels);
    }

    public String rewardModel(String pool) {
        return rewardModels.getOrDefault(pool, "likelihood:" + pool);
    }

    public String processRewardModel(String pool) {
        return processRewardModels.getOrDefault(pool, "likelihood:" + pool);
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }
}
