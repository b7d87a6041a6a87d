package dev.verigen.reward.http;

import dev.verigen.support.resilience.ResiliencePolicy;
import dev.verigen.reward.resilience.ResilientScorer;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Builds the reward models configured under {@code verigen.reward.scorers.<name>}: the {@link RewardBackend} of the
 * entry's {@code type} creates the scorer, which then runs behind the resilience policies (the entry's own
 * {@code resilience} block, else {@code verigen.reward.resilience}). A bad entry (unknown type, missing base URL) fails
 * startup with the key's name.
 */
@Component
public class ConfiguredScorers implements ScorerProvider, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredScorers.class);

    private final List<Scorer> scorers;

    @Autowired
    public ConfiguredScorers(RewardScorersProperties properties, List<RewardBackend> backends,
                             ObjectProvider<MeterRegistry> meters) {
        this(properties, backends, meters.getIfAvailable());
    }

    public ConfiguredScorers(RewardScorersProperties properties, List<RewardBackend> backends, MeterRegistry meters) {
        Map<String, RewardBackend> byType = new TreeMap<>();
        for (RewardBackend b : backends) {
            RewardBackend clash = byType.put(b.type(), b);
            if (clash != null) {
                throw new IllegalStateException("two reward backends of type '" + b.type() + "': "
                        + clash.getClass().getName() + " and " + b.getClass().getName());
            }
        }
        List<Scorer> built = new ArrayList<>();
        properties.scorers().forEach((name, config) -> {
            config.validate(name);
            RewardBackend backend = byType.get(config.type());
            if (backend == null) {
                throw new IllegalStateException("verigen.reward.scorers." + name + ".type '" + config.type()
                        + "' is not a reward backend; known: " + byType.keySet());
            }
            Scorer scorer = backend.create(name, config, new RewardHttp(name, config));
            ResiliencePolicy policies = config.resilience() != null ? config.resilience() : properties.resilience();
            if (policies.enabled()) {
                scorer = new ResilientScorer(scorer, policies, meters);
            }
            log.info("Scorer '{}': {} at {} (model {}, api key {}), resilience {}", name, config.type(),
                    config.baseUrl(), config.model(), config.apiKey() == null ? "none" : "set",
                    policies.enabled() ? "timeout " + policies.timeout() + ", " + policies.retry().maxAttempts()
                            + " attempts, bulkhead " + policies.bulkhead().maxConcurrent() : "off");
            built.add(scorer);
        });
        this.scorers = List.copyOf(built);
    }

    @Override
    public List<Scorer> scorers() {
        return scorers;
    }

    @Override
    public void destroy() {
        for (Scorer s : scorers) {
            if (s instanceof ResilientScorer r) {
                r.close();
            }
        }
    }
}
