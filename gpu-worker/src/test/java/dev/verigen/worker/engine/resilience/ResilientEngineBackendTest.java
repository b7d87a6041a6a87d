package dev.verigen.worker.engine.resilience;

import dev.verigen.support.resilience.ResiliencePolicy;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import dev.verigen.worker.jobs.EngineJobProcessor;
import dev.verigen.worker.jobs.WorkerMetrics;
import dev.verigen.worker.openai.FakeOpenAiServer;
import dev.verigen.worker.openai.FakeOpenAiServer.Reply;
import dev.verigen.worker.openai.OpenAiBackend;
import dev.verigen.worker.openai.OpenAiFixtures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.verigen.worker.openai.OpenAiFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The decorator around a real backend (openai, against a local replaying server) and around stubs. */
class ResilientEngineBackendTest {

    private static final String OK = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Answer: 42\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":4,\"total_tokens\":24}}";

    private final FakeOpenAiServer server = new FakeOpenAiServer();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<ResilientEngineBackend> created = new ArrayList<>();

    ResilientEngineBackendTest() throws IOException {
    }

    @AfterEach
    void stop() {
        created.forEach(ResilientEngineBackend::close);
        server.close();
    }

    /** Fast policies for tests: 10 ms backoff without jitter, a breaker that needs many calls unless a test says otherwise. */
    private static ResiliencePolicy policies(int maxAttempts, ResiliencePolicy.BreakerPolicy breaker,
                                                 ResiliencePolicy.BulkheadPolicy bulkhead, Duration timeout) {
        return new ResiliencePolicy(true, timeout,
                new ResiliencePolicy.RetryPolicy(maxAttempts, Duration.ofMillis(10), 2.0, 0.0, null),
                breaker, bulkhead);
    }

    private static ResiliencePolicy policies(int maxAttempts) {
        return policies(maxAttempts, null, null, Duration.ofSeconds(5));
    }

    private ResilientEngineBackend resilient(EngineBackend backend, ResiliencePolicy policies) {
        var r = new ResilientEngineBackend(backend, policies, meters);
        created.add(r);
        return r;
    }

    private ResilientEngineBackend openai(ResiliencePolicy policies) {
        return resilient(new OpenAiBackend(OpenAiFixtures.config(server)), policies);
    }

    @Test
    void rateLimitedThenOkIsRetriedAndSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        server.replying(r -> calls.incrementAndGet() == 1
                ? Reply.status(429, "{\"error\":{\"message\":\"Too Many Requests\"}}")
                : Reply.ok(OK));
        EngineOutput out = openai(policies(3)).generate(request(1, false));
        assertThat(server.requests()).hasSize(2);
        assertThat(out.samples().getFirst().text()).isEqualTo("Answer: 42");
        assertThat(meters.get("resilience4j.retry.calls").tag("name", "openai").tag("kind", "successful_with_retry")
                .functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void badRequestIsNotRetried() {
        server.replying(r -> Reply.status(400, "{\"error\":{\"message\":\"prompt too long\"}}"));
        EngineException e = catchThrowableOfType(EngineException.class,
                () -> openai(policies(3)).generate(request(1, false)));
        assertThat(server.requests()).hasSize(1);
        assertThat(e.code()).isEqualTo(EngineErrors.BAD_REQUEST);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void slowResponseBeyondTheTimeoutIsAnEngineTimeout() {
        server.replying(r -> Reply.ok(OK).delayed(1_000));
        // the attempt limit of the decorator, shorter than the HTTP timeout here, cuts the attempt
        var backend = openai(policies(1, null, null, Duration.ofMillis(150)));
        long start = System.nanoTime();
        EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
        assertThat(e.code()).isEqualTo(EngineErrors.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(900);
    }

    @Test
    void malformedJsonIsReportedAfterTheRetries() {
        server.replying(r -> Reply.ok("{\"choices\": [ {\"index\": 0, \"message\""));
        EngineException e = catchThrowableOfType(EngineException.class,
                () -> openai(policies(2)).generate(request(1, false)));
        assertThat(e.code()).isEqualTo(EngineErrors.MALFORMED_RESPONSE);
        assertThat(e.getMessage()).contains("after 2 attempts");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void repeatedServerErrorsOpenTheBreakerAndThenCallsFailFast() {
        server.replying(r -> Reply.status(500, "{\"object\":\"error\",\"message\":\"engine dead\"}"));
        var breaker = new ResiliencePolicy.BreakerPolicy(50f, 4, 4, Duration.ofMinutes(1));
        var backend = openai(policies(1, breaker, null, Duration.ofSeconds(5)));
        for (int i = 0; i < 4; i++) {
            EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
            assertThat(e.code()).isEqualTo(EngineErrors.ENGINE_ERROR);
        }
        assertThat(backend.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

        for (int i = 0; i < 3; i++) {
            EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
            assertThat(e.code()).isEqualTo(EngineErrors.CIRCUIT_OPEN);
            assertThat(e.retryable()).isTrue();
            assertThat(e.engineMs()).isZero();
        }
        assertThat(server.requests()).hasSize(4);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "openai").tag("state", "open")
                .gauge().value()).isEqualTo(1.0);
    }

    @Test
    void badRequestsDoNotOpenTheBreaker() {
        server.replying(r -> Reply.status(400, "{}"));
        var breaker = new ResiliencePolicy.BreakerPolicy(50f, 2, 2, Duration.ofMinutes(1));
        var backend = openai(policies(1, breaker, null, Duration.ofSeconds(5)));
        for (int i = 0; i < 4; i++) {
            catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
        }
        assertThat(backend.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void bulkheadBoundsRequestsInFlightAtTheServer() throws Exception {
        server.replying(r -> Reply.ok(OK).delayed(100));
        var backend = openai(policies(1, null, new ResiliencePolicy.BulkheadPolicy(2, Duration.ofSeconds(5)),
                Duration.ofSeconds(5)));
        List<Future<EngineOutput>> jobs = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                jobs.add(pool.submit(() -> backend.generate(request(1, false))));
            }
            for (Future<EngineOutput> job : jobs) {
                assertThat(job.get(5, TimeUnit.SECONDS).samples()).hasSize(1);
            }
        }
        assertThat(server.requests()).hasSize(6);
        // never more than the bulkhead allows (2 is the usual value; 1 would only mean a slow machine never overlapped)
        assertThat(server.maxInFlight()).isBetween(1, 2);
        assertThat(meters.get("resilience4j.bulkhead.available.concurrent.calls").tag("name", "openai")
                .gauge().value()).isEqualTo(2.0);
    }

    @Test
    void fullBulkheadFailsOverloadedAfterItsMaxWaitWithoutCallingTheEngine() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        EngineBackend blocking = stub(r -> {
            calls.incrementAndGet();
            entered.countDown();
            await(release);
            return output();
        });
        var backend = resilient(blocking, policies(3, null, new ResiliencePolicy.BulkheadPolicy(1, Duration.ofMillis(20)),
                Duration.ofSeconds(5)));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<EngineOutput> first = pool.submit(() -> backend.generate(request(1, false)));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            EngineException e = catchThrowableOfType(EngineException.class, () -> backend.generate(request(1, false)));
            assertThat(e.code()).isEqualTo(EngineErrors.OVERLOADED);
            assertThat(e.retryable()).isTrue();
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).samples()).hasSize(1);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void anyBackendGetsTheTimeLimitAndFailedAttemptsCountAsEngineTime() {
        AtomicInteger calls = new AtomicInteger();
        EngineBackend flaky = stub(r -> {
            if (calls.incrementAndGet() == 1) {
                throw new EngineException(EngineErrors.ENGINE_ERROR, "500", true, 7);
            }
            if (calls.get() == 2) {
                hang(Duration.ofSeconds(2));
            }
            return output();
        });
        var backend = resilient(flaky, policies(3, null, null, Duration.ofMillis(100)));
        EngineOutput out = backend.generate(request(1, false));
        assertThat(calls).hasValue(3);
        // 7 ms of the failed first attempt + the 100 ms timed-out second + 20 of the last
        assertThat(out.usage().engineMs()).isEqualTo(127);
    }

    @Test
    void aFinalFailureBecomesAnErrorResultWithItsCode() {
        server.replying(r -> Reply.status(503, "{\"error\":\"overloaded\"}"));
        var backend = openai(policies(2));
        var processor = new EngineJobProcessor("qwen-math", backend,
                new WorkerMetrics(meters, "qwen-math", backend.name()), Clock.systemUTC());

        GenerationResult result = processor.process(request(1, false));

        assertThat(result.ok()).isFalse();
        assertThat(result.backend()).isEqualTo("openai");
        assertThat(result.error().code()).isEqualTo(EngineErrors.ENGINE_ERROR);
        assertThat(result.error().retryable()).isTrue();
        assertThat(result.error().message()).contains("HTTP 503").contains("after 2 attempts");
        assertThat(server.requests()).hasSize(2);
        assertThat(meters.counter("verigen.worker.errors", "pool", "qwen-math", "backend", "openai", "code", "engine_error")
                .count()).isEqualTo(1.0);
    }

    private static EngineOutput output() {
        return new EngineOutput(List.of(new GenerationResult.Sample(0, "Answer: 42", "stop", 4, null)),
                new Usage(20, 4, 1, 20, 0));
    }

    private static EngineBackend stub(java.util.function.Function<EngineRequest, EngineOutput> engine) {
        return new EngineBackend() {
            @Override
            public String name() {
                return "stub";
            }

            @Override
            public EngineOutput generate(EngineRequest request) {
                return engine.apply(request);
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A backend call that never answers (until the time limiter interrupts it, or the bound passes). */
    private static void hang(Duration bound) {
        try {
            new CountDownLatch(1).await(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineErrors.ENGINE_ERROR, "interrupted", true);
        }
    }
}
