package dev.verigen.worker.engine.resilience;

import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.openai.OpenAiBackend;
import dev.verigen.worker.openai.OpenAiProperties;
import dev.verigen.worker.sim.SimBackend;
import dev.verigen.worker.sim.SimProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.verigen.support.resilience.ResiliencePolicy;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The decorator becomes the EngineBackend the worker gets, whichever backend is configured; the raw one stays reachable. */
class ResilienceWiringTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SimProperties.class, OpenAiProperties.class})
    @Import({SimBackend.class, OpenAiBackend.class, ResilienceConfiguration.class})
    static class Backends {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Backends.class);

    @Test
    void simIsDecoratedAndStillInjectableByItsType() {
        runner.withPropertyValues("verigen.worker.backend=sim", "verigen.worker.resilience.retry.max-attempts=5",
                "verigen.worker.resilience.bulkhead.max-wait=50ms").run(context -> {
            assertThat(context).hasNotFailed();
            EngineBackend backend = context.getBean(EngineBackend.class);
            assertThat(backend).isInstanceOf(ResilientEngineBackend.class);
            assertThat(((ResilientEngineBackend) backend).delegate()).isSameAs(context.getBean(SimBackend.class));
            assertThat(backend.name()).isEqualTo("sim");
            assertThat(context.getBean(ResiliencePolicy.class).retry().maxAttempts()).isEqualTo(5);
            assertThat(context.getBean(ResiliencePolicy.class).bulkhead().maxWait()).isEqualTo(Duration.ofMillis(50));
            assertThat(context.getBean(SimpleMeterRegistry.class).find("resilience4j.circuitbreaker.state").tag("name", "sim")
                    .gauges()).isNotEmpty();
        });
    }

    @Test
    void openaiIsSelectedByConfigurationAlone() {
        runner.withPropertyValues("verigen.worker.backend=openai", "verigen.worker.openai.base-url=http://vllm:8000",
                "verigen.worker.openai.model=Qwen/Qwen2.5-Math-1.5B-Instruct", "verigen.worker.openai.endpoint=completions",
                "verigen.worker.openai.n-support=fanout").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SimBackend.class);
            EngineBackend backend = context.getBean(EngineBackend.class);
            assertThat(backend.name()).isEqualTo("openai");
            assertThat(((ResilientEngineBackend) backend).delegate()).isInstanceOf(OpenAiBackend.class);
            OpenAiProperties props = context.getBean(OpenAiProperties.class);
            assertThat(props.endpoint()).isEqualTo(OpenAiProperties.Endpoint.COMPLETIONS);
            assertThat(props.nSupport()).isEqualTo(OpenAiProperties.NSupport.FANOUT);
        });
    }

    @Test
    void openaiWithoutAModelFailsAtStartup() {
        runner.withPropertyValues("verigen.worker.backend=openai").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("OPENAI_MODEL"));
    }

    @Test
    void resilienceCanBeSwitchedOff() {
        runner.withPropertyValues("verigen.worker.backend=sim", "verigen.worker.resilience.enabled=false").run(context ->
                assertThat(context.getBean(EngineBackend.class)).isInstanceOf(SimBackend.class));
    }
}
