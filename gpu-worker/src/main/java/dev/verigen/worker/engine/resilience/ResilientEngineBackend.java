package dev.verigen.worker.engine.resilience;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Any {@link EngineBackend} behind Resilience4j policies, innermost first: a time limit per attempt, the circuit
 * breaker, the bulkhead, then retries with exponential backoff and jitter. The order is deliberate: a retry's backoff
 * holds no bulkhead permit; a full bulkhead ({@code overloaded}) is load on this worker, not an engine failure, so the
 * breaker does not count it; and every attempt, retries included, is a call the breaker sees.
 * Policies are named after the backend, so metrics read {@code resilience4j.*{name="openai"}}.
 */
public final class ResilientEngineBackend implements EngineBackend, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResilientEngineBackend.class);

    /**
     * Retryable for the orchestrator (later, or on another worker) but pointless to retry here after a backoff of
     * milliseconds: the breaker stays open for seconds, and a full bulkhead was already waited on.
     */
    private static final Set<String> NOT_RETRIED_LOCALLY = Set.of(EngineErrors.CIRCUIT_OPEN, EngineErrors.OVERLOADED);

    private final EngineBackend delegate;
    private final ResilienceProperties config;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;
    /** Each attempt runs on its own virtual thread so the time limiter can give up on it (and interrupt it). */
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param meters where the policies' metrics go (retries, breaker state, bulkhead permits, timeouts); null = none
     */
    public ResilientEngineBackend(EngineBackend delegate, ResilienceProperties config, MeterRegistry meters) {
        this.delegate = delegate;
        this.config = config;
        String name = delegate.name();
        var r = config.retry();
        var retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalFunction(r.jitter() > 0
                        ? IntervalFunction.ofExponentialRandomBackoff(r.initialBackoff(), r.multiplier(), r.jitter(), r.maxBackoff())
                        : IntervalFunction.ofExponentialBackoff(r.initialBackoff(), r.multiplier(), r.maxBackoff()))
                .retryOnException(ResilientEngineBackend::retriedLocally)
                .build());
        var cb = config.circuitBreaker();
        var breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindow())
                .minimumNumberOfCalls(cb.minimumCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.openDuration())
                .permittedNumberOfCallsInHalfOpenState(Math.min(3, cb.minimumCalls()))
                // a rejected request (bad_request) says nothing about the engine's health; everything else does
                .recordException(e -> !(e instanceof EngineException engine) || engine.retryable())
                .build());
        var bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(config.bulkhead().maxConcurrent())
                .maxWaitDuration(config.bulkhead().maxWait())
                .build());
        var limiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(config.timeout())
                .cancelRunningFuture(true)
                .build());
        this.retry = retries.retry(name);
        this.breaker = breakers.circuitBreaker(name);
        this.bulkhead = bulkheads.bulkhead(name);
        this.timeLimiter = limiters.timeLimiter(name);
        if (meters != null) {
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
            TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
            TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(limiters).bindTo(meters);
        }
        breaker.getEventPublisher().onStateTransition(e ->
                log.warn("circuit breaker of engine backend '{}': {}", name, e.getStateTransition()));
        retry.getEventPublisher().onRetry(e ->
                log.info("engine backend '{}': attempt {} failed ({}), retrying in {} ms", name,
                        e.getNumberOfRetryAttempts(), describe(e.getLastThrowable()), e.getWaitInterval().toMillis()));
    }

    private static boolean retriedLocally(Throwable e) {
        return e instanceof EngineException engine && engine.retryable() && !NOT_RETRIED_LOCALLY.contains(engine.code());
    }

    @Override
    public String name() {
        return delegate.name();
    }

    public EngineBackend delegate() {
        return delegate;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    @Override
    public EngineOutput generate(EngineRequest request) {
        // engine time of failed attempts is real spend; it is added to what the final attempt reports
        AtomicLong failedEngineMs = new AtomicLong();
        AtomicInteger attemptCount = new AtomicInteger();
        try {
            EngineOutput output = retry.executeSupplier(() -> {
                attemptCount.incrementAndGet();
                try {
                    return guarded(request);
                } catch (EngineException e) {
                    failedEngineMs.addAndGet(e.engineMs());
                    throw e;
                }
            });
            Usage u = output.usage();
            return failedEngineMs.get() == 0 ? output : new EngineOutput(output.samples(),
                    new Usage(u.promptTokens(), u.completionTokens(), u.calls(), u.engineMs() + failedEngineMs.get(), u.wallMs()));
        } catch (EngineException e) {
            if (attemptCount.get() <= 1) {
                throw e;
            }
            throw new EngineException(e.code(), e.getMessage() + " (after " + attemptCount.get() + " attempts)",
                    e.retryable(), failedEngineMs.get());
        }
    }

    /** One attempt through bulkhead, breaker and time limit, with their refusals turned into engine error codes. */
    private EngineOutput guarded(EngineRequest request) {
        Instant deadline = request.meta().deadline();
        if (deadline != null && deadline.isBefore(Instant.now())) {
            // retrying past the deadline only burns engine time on a result nobody waits for
            throw new EngineException(EngineErrors.DEADLINE_EXCEEDED, "deadline " + deadline + " passed between attempts",
                    false);
        }
        try {
            return bulkhead.executeSupplier(() -> breaker.executeSupplier(() -> timed(request)));
        } catch (CallNotPermittedException e) {
            throw new EngineException(EngineErrors.CIRCUIT_OPEN, "circuit breaker of engine backend '" + name()
                    + "' is open after repeated engine failures; engine not called", true);
        } catch (BulkheadFullException e) {
            throw new EngineException(EngineErrors.OVERLOADED, "engine backend '" + name() + "' has "
                    + config.bulkhead().maxConcurrent() + " requests in flight and none finished within "
                    + config.bulkhead().maxWait() + "; engine not called", true);
        }
    }

    private EngineOutput timed(EngineRequest request) {
        try {
            return timeLimiter.executeFutureSupplier(() -> attempts.submit(() -> delegate.generate(request)));
        } catch (TimeoutException e) {
            throw new EngineException(EngineErrors.TIMEOUT, "engine backend '" + name() + "' did not answer within "
                    + config.timeout(), true, config.timeout().toMillis());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineErrors.ENGINE_ERROR, "interrupted while waiting for engine backend '"
                    + name() + "' (worker shutting down)", true);
        } catch (Exception e) {
            // only checked exceptions get here, and generate() declares none
            throw new EngineException(EngineErrors.WORKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }

    private static String describe(Throwable t) {
        return t instanceof EngineException e ? e.code() : String.valueOf(t);
    }

    @Override
    public void close() {
        attempts.shutdownNow();
    }

    @Override
    public String toString() {
        return "ResilientEngineBackend[" + delegate + "]";
    }
}
