package dev.verigen.reward.resilience;

import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerErrors;
import dev.verigen.reward.scoring.ScorerException;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any {@link Scorer} behind Resilience4j policies, the gpu-worker's decorator for scorers. Innermost first: a time
 * limit per attempt, the circuit breaker, the bulkhead, then retries with exponential backoff and jitter for retryable
 * failures only (429, 5xx, connection, timeout, malformed response). A retry's backoff holds no bulkhead permit; a full
 * bulkhead ({@code overloaded}) is load on this service, not a server failure, so the breaker does not count it;
 * non-retryable failures ({@code bad_request}) say nothing about the server's health and are not counted either.
 * Variants of the scorer ({@code name:min}, {@code name:pairwise}) share the scorer's policies: they call one server.
 * Policies are named after the scorer, so metrics read {@code resilience4j.*{name="<scorer>"}}.
 */
public final class ResilientScorer implements Scorer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResilientScorer.class);

    /** Retryable for the orchestrator (later) but pointless to retry here after a backoff of milliseconds. */
    private static final Set<String> NOT_RETRIED_LOCALLY = Set.of(ScorerErrors.CIRCUIT_OPEN, ScorerErrors.OVERLOADED);

    private final Scorer delegate;
    private final ResilienceProperties config;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();

    /** @param meters where the policies' metrics go; null = none */
    public ResilientScorer(Scorer delegate, ResilienceProperties config, MeterRegistry meters) {
        this.delegate = delegate;
        this.config = config;
        String name = delegate.name();
        var r = config.retry();
        var retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalFunction(r.jitter() > 0
                        ? IntervalFunction.ofExponentialRandomBackoff(r.initialBackoff(), r.multiplier(), r.jitter(), r.maxBackoff())
                        : IntervalFunction.ofExponentialBackoff(r.initialBackoff(), r.multiplier(), r.maxBackoff()))
                .retryOnException(ResilientScorer::retriedLocally)
                .build());
        var cb = config.circuitBreaker();
        var breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindow())
                .minimumNumberOfCalls(cb.minimumCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.openDuration())
                .permittedNumberOfCallsInHalfOpenState(Math.min(3, cb.minimumCalls()))
                .recordException(e -> !(e instanceof ScorerException s) || s.retryable())
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
                log.warn("circuit breaker of scorer '{}': {}", name, e.getStateTransition()));
        retry.getEventPublisher().onRetry(e ->
                log.info("scorer '{}': attempt {} failed ({}), retrying in {} ms", name,
                        e.getNumberOfRetryAttempts(), describe(e.getLastThrowable()), e.getWaitInterval().toMillis()));
    }

    private static boolean retriedLocally(Throwable e) {
        return e instanceof ScorerException s && s.retryable() && !NOT_RETRIED_LOCALLY.contains(s.code());
    }

    @Override
    public String name() {
        return delegate.name();
    }

    public Scorer delegate() {
        return delegate;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    @Override
    public Scored score(ScoringJob job) {
        return run(job, delegate);
    }

    /** The delegate's variant behind this scorer's policies (same server, same breaker, same bulkhead). */
    @Override
    public Optional<Scorer> variant(String variant) {
        return delegate.variant(variant).map(this::guardedView);
    }

    private Scorer guardedView(Scorer inner) {
        return new Scorer() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public Scored score(ScoringJob job) {
                return run(job, inner);
            }

            @Override
            public Optional<Scorer> variant(String next) {
                return inner.variant(next).map(ResilientScorer.this::guardedView);
            }
        };
    }

    private Scored run(ScoringJob job, Scorer target) {
        AtomicLong failedEngineMs = new AtomicLong();
        AtomicInteger attemptCount = new AtomicInteger();
        try {
            Scored scored = retry.executeSupplier(() -> {
                attemptCount.incrementAndGet();
                try {
                    return guarded(job, () -> target.score(job));
                } catch (ScorerException e) {
                    failedEngineMs.addAndGet(e.engineMs());
                    throw e;
                }
            });
            Usage u = scored.usage();
            return failedEngineMs.get() == 0 ? scored : new Scored(scored.scores(),
                    new Usage(u.promptTokens(), u.completionTokens(), u.calls(), u.engineMs() + failedEngineMs.get(), u.wallMs()));
        } catch (ScorerException e) {
            if (attemptCount.get() <= 1) {
                throw e;
            }
            throw new ScorerException(e.code(), e.getMessage() + " (after " + attemptCount.get() + " attempts)",
                    e.retryable(), failedEngineMs.get());
        }
    }

    private Scored guarded(ScoringJob job, Supplier<Scored> call) {
        Instant deadline = job.meta().deadline();
        if (deadline != null && deadline.isBefore(Instant.now())) {
            throw new ScorerException(ScorerErrors.DEADLINE_EXCEEDED, "deadline " + deadline
                    + " passed before an attempt of scorer '" + name() + "' could start", false);
        }
        try {
            return bulkhead.executeSupplier(() -> breaker.executeSupplier(() -> timed(call)));
        } catch (CallNotPermittedException e) {
            throw new ScorerException(ScorerErrors.CIRCUIT_OPEN, "circuit breaker of scorer '" + name()
                    + "' is open after repeated failures; reward server not called", true);
        } catch (BulkheadFullException e) {
            throw new ScorerException(ScorerErrors.OVERLOADED, "scorer '" + name() + "' has "
                    + config.bulkhead().maxConcurrent() + " jobs in flight and none finished within "
                    + config.bulkhead().maxWait() + "; reward server not called", true);
        }
    }

    private Scored timed(Supplier<Scored> call) {
        try {
            return timeLimiter.executeFutureSupplier(() -> attempts.submit(call::get));
        } catch (TimeoutException e) {
            throw new ScorerException(ScorerErrors.SCORER_TIMEOUT, "scorer '" + name() + "' did not answer within "
                    + config.timeout(), true, config.timeout().toMillis());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScorerException(ScorerErrors.SCORER_ERROR, "interrupted while waiting for scorer '" + name()
                    + "' (service shutting down)", true);
        } catch (Exception e) {
            throw new ScorerException(ScorerErrors.SCORER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }

    private static String describe(Throwable t) {
        return t instanceof ScorerException e ? e.code() : String.valueOf(t);
    }

    @Override
    public void close() {
        attempts.shutdownNow();
    }

    @Override
    public String toString() {
        return "ResilientScorer[" + delegate + "]";
    }
}
