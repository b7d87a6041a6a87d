package dev.verigen.reward.http;

import dev.verigen.support.resilience.ResiliencePolicy;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The configured reward models: {@code verigen.reward.scorers.<name>.*} (one {@link ScorerConfig} each) and the
 * resilience policies they share, {@code verigen.reward.resilience.*}.
 */
@ConfigurationProperties("verigen.reward")
public record RewardScorersProperties(Map<String, ScorerConfig> scorers, ResiliencePolicy resilience) {

    public RewardScorersProperties {
        scorers = scorers == null ? Map.of() : new TreeMap<>(scorers);
        resilience = resilience == null ? ResiliencePolicy.defaults() : resilience;
    }
}
