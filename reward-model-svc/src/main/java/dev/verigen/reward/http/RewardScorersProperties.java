package dev.verigen.reward.http;

import dev.verigen.reward.resilience.ResilienceProperties;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The configured reward models: {@code verigen.reward.scorers.<name>.*} (one {@link ScorerConfig} each) and the
 * resilience policies they share, {@code verigen.reward.resilience.*}.
 */
@ConfigurationProperties("verigen.reward")
public record RewardScorersProperties(Map<String, ScorerConfig> scorers, ResilienceProperties resilience) {

    public RewardScorersProperties {
        scorers = scorers == null ? Map.of() : new TreeMap<>(scorers);
        resilience = resilience == null ? ResilienceProperties.defaults() : resilience;
    }
}
