package dev.verigen.support.resilience;


import java.time.Duration;

/**
 * The policies around calls to one model server (a gpu-worker's engine backend, a reward-model scorer). Bound from
 * each service's configuration ({@code verigen.worker.resilience.*}, {@code verigen.reward.resilience.*}); every field
 * is optional and the defaults below are the single source of defaults. Invalid values fail at construction.
 *
 * @param enabled false runs the call undecorated
 * @param timeout limit of one attempt (all of its HTTP requests, or a simulator's whole run); a client's own shorter
 *                request timeout usually fires first
 */
public record ResiliencePolicy(Boolean enabled, Duration timeout, RetryPolicy retry,
                                   BreakerPolicy circuitBreaker, BulkheadPolicy bulkhead) {

    public ResiliencePolicy {
        enabled = enabled == null || enabled;
        timeout = positive(timeout == null ? Duration.ofSeconds(120) : timeout, "timeout");
        retry = retry == null ? new RetryPolicy(null, null, null, null, null) : retry;
        circuitBreaker = circuitBreaker == null ? new BreakerPolicy(null, null, null, null) : circuitBreaker;
        bulkhead = bulkhead == null ? new BulkheadPolicy(null, null) : bulkhead;
    }

    public static ResiliencePolicy defaults() {
        return new ResiliencePolicy(null, null, null, null, null);
    }

    /**
     * Retries of retryable failures inside the service, before the job's result goes back.
     *
     * @param maxAttempts    attempts in all, 1 = no retry
     * @param initialBackoff wait before the first retry; it grows by {@code multiplier} per retry, up to {@code maxBackoff}
     * @param jitter         relative randomisation of each wait, in [0, 1): 0.5 = +-50 %, so workers hit by the same
     *                       outage do not retry in lockstep
     */
    public record RetryPolicy(Integer maxAttempts, Duration initialBackoff, Double multiplier, Double jitter,
                              Duration maxBackoff) {
        public RetryPolicy {
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            initialBackoff = positive(initialBackoff == null ? Duration.ofMillis(200) : initialBackoff, "retry.initial-backoff");
            multiplier = multiplier == null ? 2.0 : multiplier;
            jitter = jitter == null ? 0.5 : jitter;
            maxBackoff = positive(maxBackoff == null ? Duration.ofSeconds(10) : maxBackoff, "retry.max-backoff");
            if (maxAttempts < 1 || multiplier < 1 || jitter < 0 || jitter >= 1) {
                throw new IllegalArgumentException("retry: max-attempts >= 1, multiplier >= 1, jitter in [0, 1)");
            }
        }
    }

    /**
     * Opens on the failure rate of the last {@code slidingWindow} calls (once {@code minimumCalls} were made); while
     * open, jobs fail fast with {@code circuit_open} for {@code openDuration}, then a few trial calls decide.
     */
    public record BreakerPolicy(Float failureRateThreshold, Integer slidingWindow, Integer minimumCalls,
                                Duration openDuration) {
        public BreakerPolicy {
            failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
            slidingWindow = slidingWindow == null ? 20 : slidingWindow;
            minimumCalls = minimumCalls == null ? 10 : minimumCalls;
            openDuration = positive(openDuration == null ? Duration.ofSeconds(30) : openDuration, "circuit-breaker.open-duration");
            if (failureRateThreshold <= 0 || failureRateThreshold > 100 || slidingWindow < 1 || minimumCalls < 1) {
                throw new IllegalArgumentException("circuit-breaker: failure-rate-threshold in (0, 100], sliding-window and minimum-calls >= 1");
            }
        }
    }

    /** At most {@code maxConcurrent} calls in flight; a job waits up to {@code maxWait}, then fails {@code overloaded}. */
    public record BulkheadPolicy(Integer maxConcurrent, Duration maxWait) {
        public BulkheadPolicy {
            maxConcurrent = maxConcurrent == null ? 16 : maxConcurrent;
            maxWait = maxWait == null ? Duration.ofMillis(500) : maxWait;
            if (maxConcurrent < 1 || maxWait.isNegative()) {
                throw new IllegalArgumentException("bulkhead: max-concurrent >= 1, max-wait >= 0");
            }
        }
    }

    private static Duration positive(Duration d, String name) {
        if (!d.isPositive()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
