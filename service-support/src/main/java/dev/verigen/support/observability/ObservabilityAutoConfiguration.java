package dev.verigen.support.observability;

import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** {@link JobSpans} over the service's tracer (Micrometer Tracing's OpenTelemetry bridge), or a no-op without one. */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
public class ObservabilityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JobSpans jobSpans(ObjectProvider<Tracer> tracer) {
        return new JobSpans(tracer.getIfAvailable(() -> Tracer.NOOP));
    }
}
