package dev.verigen.worker.llamacpp;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.WorkerProperties;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.jobs.EngineJobBinding;
import dev.verigen.worker.jobs.EngineJobProcessor;
import dev.verigen.worker.sim.SimBackend;
import dev.verigen.worker.sim.SimProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The backend as the worker wires it: chosen by {@code verigen.worker.backend=llamacpp}, configured from properties,
 * and driven through {@link EngineJobProcessor} (the Kafka binding's function is left unbound: no broker here).
 */
class LlamaCppBackendSpringTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class, SimBackend.class, LlamaCppBackend.class, EngineJobBinding.class)
            .withPropertyValues("verigen.worker.pool=arith-tiny", "verigen.worker.concurrency=1");

    @Test
    void llamacppBackendServesAnEngineRequest() {
        runner.withPropertyValues("verigen.worker.backend=llamacpp",
                        "verigen.worker.llamacpp.model-path=" + TestModels.ARITH_TINY, "verigen.worker.llamacpp.threads=2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(EngineBackend.class).doesNotHaveBean(SimBackend.class);
                    LlamaCppBackend backend = context.getBean(LlamaCppBackend.class);
                    assertThat(backend.engine().contextSize()).isEqualTo(96); // the model's training context

                    long prefills = backend.engine().prefills();
                    var sampling = new SamplingParams(0.8, 1.0, 8, 42L, List.of("\n"), true);
                    GenerationResult result = context.getBean(EngineJobProcessor.class)
                            .process(request(TestModels.arithPrompt(17, '+', 25), sampling, 4));

                    assertThat(result.ok()).isTrue();
                    assertThat(result.backend()).isEqualTo("llamacpp");
                    assertThat(result.samples()).hasSize(4).allSatisfy(s -> {
                        assertThat(s.text()).doesNotContain("\n");
                        assertThat(s.logprob()).isNotNull().isNegative();
                        assertThat(s.completionTokens()).isPositive();
                    });
                    assertThat(result.usage().calls()).isEqualTo(4);
                    assertThat(result.usage().promptTokens()).isEqualTo(
                            backend.engine().model().tokenize(TestModels.arithPrompt(17, '+', 25)).length);
                    assertThat(result.usage().completionTokens()).isEqualTo(
                            result.samples().stream().mapToLong(GenerationResult.Sample::completionTokens).sum());
                    assertThat(backend.engine().prefills() - prefills).isEqualTo(1);
                    assertThat(context.getBean(MeterRegistry.class).get("verigen.worker.llamacpp.prefills")
                            .functionCounter().count()).isEqualTo(backend.engine().prefills());
                });
    }

    @Test
    void shutdownFreesTheEngine() {
        AtomicReference<LlamaCppBackend> backend = new AtomicReference<>();
        runner.withPropertyValues("verigen.worker.backend=llamacpp",
                        "verigen.worker.llamacpp.model-path=" + TestModels.ARITH_TINY)
                .run(context -> backend.set(context.getBean(LlamaCppBackend.class)));
        assertThatThrownBy(() -> backend.get().engine().generate("Q: ", SamplingParams.DEFAULT, 1, 1L))
                .isInstanceOf(EngineException.class).hasMessageContaining("shut down");
    }

    @Test
    void tooLongPromptIsANonRetryableBadRequest() {
        runner.withPropertyValues("verigen.worker.backend=llamacpp",
                        "verigen.worker.llamacpp.model-path=" + TestModels.ARITH_TINY)
                .run(context -> {
                    GenerationResult result = context.getBean(EngineJobProcessor.class)
                            .process(request("x".repeat(500), SamplingParams.DEFAULT, 1));
                    assertThat(result.error().code()).isEqualTo("bad_request");
                    assertThat(result.error().retryable()).isFalse();
                });
    }

    @Test
    void missingModelFailsStartupNamingThePath() {
        runner.withPropertyValues("verigen.worker.backend=llamacpp",
                        "verigen.worker.llamacpp.model-path=/nowhere/model.gguf")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("/nowhere/model.gguf"));
        runner.withPropertyValues("verigen.worker.backend=llamacpp")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("verigen.worker.llamacpp.model-path"));
    }

    @Test
    void simWorkerNeedsNoModel() {
        runner.withPropertyValues("verigen.worker.backend=sim").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(EngineBackend.class).doesNotHaveBean(LlamaCppBackend.class);
        });
    }

    private static EngineRequest request(String prompt, SamplingParams sampling, int n) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        return new EngineRequest(meta, "arith-tiny", prompt, null, sampling, n);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({WorkerProperties.class, SimProperties.class, LlamaCppProperties.class})
    static class Properties {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
