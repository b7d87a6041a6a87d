package dev.verigen.support.resilience;

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
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to one model server behind Resilience4j policies, innermost first: a time limit per attempt, the circuit
 * breaker, the bulkhead, then retries with exponential backoff and jitter. The order is deliberate: a retry's backoff
 * holds no bulkhead permit; a full bulkhead is load on this service, not a server failure, so the breaker does not
 * count it; and every attempt, retries included, is a call the breaker sees. Policies are named after the server's
 * client, so metrics read {@code resilience4j.*{name="<name>"}}.
 */
public final class ResilientCalls<E extends RuntimeException> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResilientCalls.class);

    /** A value, and the engine time the failed attempts before it spent. */
    public record Outcome<T>(T value, long failedAttemptsMs) {
    }

    private final String name;
    private final String what;
    private final ResiliencePolicy policy;
    private final Failures<E> failures;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;
    /** Each attempt runs on its own virtual thread so the time limiter can give up on it (and interrupt it). */
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param what   how logs name the server's client, e.g. {@code engine backend}
     * @param meters where the policies' metrics go; null = none
     */
    public ResilientCalls(String name, String what, ResiliencePolicy policy, Failures<E> failures, MeterRegistry meters) {
        this.name = name;
        this.what = what;
        this.policy = policy;
        this.failures = failures;
        var r = policy.retry();
        var retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalFunction(r.jitter() > 0
                        ? IntervalFunction.ofExponentialRandomBackoff(r.initialBackoff(), r.multiplier(), r.jitter(), r.maxBackoff())
                        : IntervalFunction.ofExponentialBackoff(r.initialBackoff(), r.multiplier(), r.maxBackoff()))
                .retryOnException(this::retriedLocally)
                .build());
        var cb = policy.circuitBreaker();
        var breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindow())
                .minimumNumberOfCalls(cb.minimumCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.openDuration())
                .permittedNumberOfCallsInHalfOpenState(Math.min(3, cb.minimumCalls()))
                .recordException(e -> !failures.type().isInstance(e) || failures.retryable(failures.type().cast(e)))
                .build());
        var bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(policy.bulkhead().maxConcurrent())
                .maxWaitDuration(policy.bulkhead().maxWait())
                .build());
        var limiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(policy.timeout())
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
                log.warn("circuit breaker of {} '{}': {}", what, name, e.getStateTransition()));
        retry.getEventPublisher().onRetry(e ->
                log.info("{} '{}': attempt {} failed ({}), retrying in {} ms", what, name,
                        e.getNumberOfRetryAttempts(), describe(e.getLastThrowable()), e.getWaitInterval().toMillis()));
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    public ResiliencePolicy policy() {
        return policy;
    }

    /**
     * Runs {@code attempt} under the policies until it succeeds, fails for good, or the deadline passes between
     * attempts (retrying then only burns engine time on a result nobody waits for).
     *
     * @throws E the last failure, restated with the number of attempts when there were several
     */
    public <T> Outcome<T> call(Instant deadline, Supplier<T> attempt) {
        AtomicLong failedMs = new AtomicLong();
        AtomicInteger count = new AtomicInteger();
        try {
            T value = retry.executeSupplier(() -> {
                count.incrementAndGet();
                try {
                    return guarded(deadline, attempt);
                } catch (RuntimeException e) {
                    if (failures.type().isInstance(e)) {
                        failedMs.addAndGet(failures.spentMs(failures.type().cast(e)));
                    }
                    throw e;
                }
            });
            return new Outcome<>(value, failedMs.get());
        } catch (RuntimeException e) {
            if (count.get() <= 1 || !failures.type().isInstance(e)) {
                throw e;
            }
            throw failures.afterAttempts(failures.type().cast(e), count.get(), failedMs.get());
        }
    }

    private <T> T guarded(Instant deadline, Supplier<T> attempt) {
        if (deadline != null && deadline.isBefore(Instant.now())) {
            throw failures.deadlinePassed(name, deadline);
        }
        try {
            return bulkhead.executeSupplier(() -> breaker.executeSupplier(() -> timed(attempt)));
        } catch (CallNotPermittedException e) {
            throw failures.circuitOpen(name);
        } catch (BulkheadFullException e) {
            throw failures.overloaded(name, policy.bulkhead());
        }
    }

    private <T> T timed(Supplier<T> attempt) {
        try {
            return timeLimiter.executeFutureSupplier(() -> attempts.submit(attempt::get));
        } catch (TimeoutException e) {
            throw failures.timedOut(name, policy.timeout());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.interrupted(name);
        } catch (Exception e) {
            throw failures.unexpected(name, e);
        }
    }

    private boolean retriedLocally(Throwable e) {
        if (!failures.type().isInstance(e)) {
            return false;
        }
        E failure = failures.type().cast(e);
        return failures.retryable(failure) && !failures.notRetriedLocally(failure);
    }

    private String describe(Throwable t) {
        return failures.type().isInstance(t) ? failures.code(failures.type().cast(t)) : String.valueOf(t);
    }

    @Override
    public void close() {
        attempts.shutdownNow();
    }
}
