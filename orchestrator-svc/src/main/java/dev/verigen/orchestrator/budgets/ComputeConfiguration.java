package dev.verigen.orchestrator.budgets;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ComputeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ComputeConfiguration.class);

    @Bean
    ComputeEstimator computeEstimator(ComputeProperties compute, OrchestratorProperties orchestrator) {
        var unsized = new TreeSet<>(orchestrator.pools());
        unsized.removeAll(compute.models().keySet());
        if (!unsized.isEmpty()) {
            // not fatal: the unknown-model size is deliberately large, so these pools are over- not under-charged
            log.warn("no verigen.orchestrator.models entry for pools {}; their FLOPs are estimated as for {}",
                    unsized, compute.unknownModel());
        }
        return compute.estimator();
    }
}
