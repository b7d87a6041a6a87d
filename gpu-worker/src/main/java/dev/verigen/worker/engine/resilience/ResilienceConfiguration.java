package dev.verigen.worker.engine.resilience;

import dev.verigen.support.resilience.ResiliencePolicy;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import dev.verigen.worker.engine.EngineBackend;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Puts the resilience decorator in front of whichever backend bean exists (sim, openai, llamacpp ...). The decorator
 * is the {@code @Primary} {@link EngineBackend}, so the job processor gets it, while the raw backend stays injectable
 * by its own type. Spring leaves the bean being created out of its own candidates, so the parameter is the raw one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "verigen.worker.resilience", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ResilienceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ResilienceConfiguration.class);

    /** {@code verigen.worker.resilience.*}; the shared record fills in defaults and rejects invalid values. */
    @Bean
    ResiliencePolicy workerResiliencePolicy(Environment environment) {
        return Binder.get(environment).bindOrCreate("verigen.worker.resilience", ResiliencePolicy.class);
    }

    @Bean
    @Primary
    ResilientEngineBackend resilientEngineBackend(EngineBackend backend, ResiliencePolicy config,
                                                  ObjectProvider<MeterRegistry> meters) {
        log.info("Engine backend '{}' runs behind resilience policies: timeout {}, {} attempts, breaker at {} % of {} "
                        + "calls, bulkhead {}", backend.name(), config.timeout(), config.retry().maxAttempts(),
                config.circuitBreaker().failureRateThreshold(), config.circuitBreaker().slidingWindow(),
                config.bulkhead().maxConcurrent());
        return new ResilientEngineBackend(backend, config, meters.getIfAvailable());
    }
}
