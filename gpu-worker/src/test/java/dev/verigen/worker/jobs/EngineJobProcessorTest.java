package dev.verigen.worker.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class EngineJobProcessorTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private SimpleMeterRegistry registry;
    private final AtomicInteger calls = new AtomicInteger();

    private EngineJobProcessor processor(Function<EngineRequest, EngineOutput> engine) {
        registry = new SimpleMeterRegistry();
        EngineBackend backend = new EngineBackend() {
            @Override
            public String name() {
                return "stub";
            }

            @Override
            public EngineOutput generate(EngineRequest request) {
                calls.incrementAndGet();
                return engine.apply(request);
            }
        };
        return new EngineJobProcessor("sim-math", backend, new WorkerMetrics(registry, "sim-math", "stub"),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void expiredDeadlineFailsWithoutRunningTheEngine() {
        GenerationResult result = processor(r -> { throw new AssertionError("engine must not run"); })
                .process(request("sim-math", NOW.minusMillis(1)));
        assertThat(calls).hasValue(0);
        assertThat(result.error().code()).isEqualTo(EngineErrors.DEADLINE_EXCEEDED);
        assertThat(result.error().retryable()).isFalse();
        assertThat(registry.counter("verigen.worker.errors", "pool", "sim-math", "backend", "stub",
                "code", "deadline_exceeded").count()).isEqualTo(1.0);
    }

    @Test
    void successCarriesSamplesUsageAndBackendName() {
        var sample = new GenerationResult.Sample(0, "Answer: 2", "stop", 3, null);
        GenerationResult result = processor(r -> new EngineOutput(List.of(sample), new Usage(5, 3, 1, 20, 0)))
                .process(request("sim-math", NOW.plusSeconds(5)));
        assertThat(result.ok()).isTrue();
        assertThat(result.backend()).isEqualTo("stub");
        assertThat(result.samples()).containsExactly(sample);
        assertThat(result.usage().engineMs()).isEqualTo(20);
        assertThat(registry.get("verigen.worker.tokens").tags("pool", "sim-math", "backend", "stub", "kind", "completion",
                "gen_ai.token.type", "output").counter().count()).isEqualTo(3.0);
        assertThat(registry.get("verigen.worker.inflight").gauge().value()).isZero();
        assertThat(registry.get("verigen.worker.job.duration").timer().count()).isEqualTo(1);
        assertThat(registry.find("vllm:time_to_first_token").timer()).as("vLLM's names only for the simulator").isNull();
    }

    @Test
    void engineTimingBecomesTimeToFirstTokenAndInterTokenLatencyAndTheSimulatorAlsoSpeaksVllm() {
        registry = new SimpleMeterRegistry();
        var metrics = new WorkerMetrics(registry, "sim-math", "sim", () -> 3);
        EngineBackend backend = new EngineBackend() {
            @Override
            public String name() {
                return "sim";
            }

            @Override
            public EngineOutput generate(EngineRequest request) {
                return new EngineOutput(List.of(new GenerationResult.Sample(0, "Answer: 2", "length", 40, null)),
                        new Usage(5, 40, 1, 90, 0), new EngineOutput.Timing(50, 2.5));
            }
        };
        new EngineJobProcessor("sim-math", backend, metrics, Clock.fixed(NOW, ZoneOffset.UTC))
                .process(request("sim-math", NOW.plusSeconds(5)));
        var ttft = registry.get("verigen.worker.time.to.first.token").tags("pool", "sim-math").timer();
        assertThat(ttft.count()).isEqualTo(1);
        assertThat(ttft.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(50.0);
        assertThat(registry.get("verigen.worker.inter.token.latency").timer()
                .totalTime(java.util.concurrent.TimeUnit.MICROSECONDS)).isEqualTo(2500.0);
        assertThat(registry.get("vllm:time_to_first_token").tag("model_name", "sim-math").timer().count()).isEqualTo(1);
        assertThat(registry.get("vllm:inter_token_latency").timer().count()).isEqualTo(1);
        assertThat(registry.get("vllm:generation_tokens").counter().count()).isEqualTo(40.0);
        assertThat(registry.get("vllm:request_success").tag("finished_reason", "length").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("vllm:num_requests_waiting").gauge().value()).isEqualTo(3.0);
        assertThat(registry.get("vllm:num_requests_running").gauge().value()).isZero();
    }

    @Test
    void engineFailuresBecomeErrorResultsWithTheirCode() {
        GenerationResult result = processor(r -> { throw new EngineException(EngineErrors.RATE_LIMITED, "429", true); })
                .process(request("sim-math", null));
        assertThat(result.error().code()).isEqualTo("rate_limited");
        assertThat(result.error().retryable()).isTrue();

        GenerationResult crash = processor(r -> { throw new IllegalStateException("boom"); }).process(request("sim-math", null));
        assertThat(crash.error().code()).isEqualTo(EngineErrors.WORKER_ERROR);
        assertThat(crash.error().message()).contains("boom");
    }

    @Test
    void requestForAnotherPoolIsRefused() {
        GenerationResult result = processor(r -> { throw new AssertionError("engine must not run"); })
                .process(request("other-pool", null));
        assertThat(result.error().code()).isEqualTo(EngineErrors.WRONG_POOL);
        assertThat(calls).hasValue(0);
    }

    private static EngineRequest request(String pool, Instant deadline) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null, deadline);
        return new EngineRequest(meta, pool, "What is 1 + 1?", null, null, 1);
    }
}
