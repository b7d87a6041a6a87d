package dev.verigen.reward.resilience;

import dev.verigen.reward.scoring.ScorerErrors;
import dev.verigen.reward.scoring.ScorerException;
import dev.verigen.support.resilience.Failures;
import dev.verigen.support.resilience.ResiliencePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** How scorers' failures read to the shared resilience policies. */
final class ScorerFailures implements Failures<ScorerException> {

    static final ScorerFailures INSTANCE = new ScorerFailures();

    private static final Set<String> NOT_RETRIED_LOCALLY = Set.of(ScorerErrors.CIRCUIT_OPEN, ScorerErrors.OVERLOADED);

    @Override
    public Class<ScorerException> type() {
        return ScorerException.class;
    }

    @Override
    public boolean retryable(ScorerException failure) {
        return failure.retryable();
    }

    @Override
    public boolean notRetriedLocally(ScorerException failure) {
        return NOT_RETRIED_LOCALLY.contains(failure.code());
    }

    @Override
    public long spentMs(ScorerException failure) {
        return failure.engineMs();
    }

    @Override
    public String code(ScorerException failure) {
        return failure.code();
    }

    @Override
    public ScorerException deadlinePassed(String name, Instant deadline) {
        return new ScorerException(ScorerErrors.DEADLINE_EXCEEDED, "deadline " + deadline
                + " passed before an attempt of scorer '" + name + "' could start", false);
    }

    @Override
    public ScorerException circuitOpen(String name) {
        return new ScorerException(ScorerErrors.CIRCUIT_OPEN, "circuit breaker of scorer '" + name
                + "' is open after repeated failures; reward server not called", true);
    }

    @Override
    public ScorerException overloaded(String name, ResiliencePolicy.BulkheadPolicy bulkhead) {
        return new ScorerException(ScorerErrors.OVERLOADED, "scorer '" + name + "' has " + bulkhead.maxConcurrent()
                + " jobs in flight and none finished within " + bulkhead.maxWait() + "; reward server not called", true);
    }

    @Override
    public ScorerException timedOut(String name, Duration timeout) {
        return new ScorerException(ScorerErrors.SCORER_TIMEOUT, "scorer '" + name + "' did not answer within "
                + timeout, true, timeout.toMillis());
    }

    @Override
    public ScorerException interrupted(String name) {
        return new ScorerException(ScorerErrors.SCORER_ERROR, "interrupted while waiting for scorer '" + name
                + "' (service shutting down)", true);
    }

    @Override
    public ScorerException unexpected(String name, Exception e) {
        return new ScorerException(ScorerErrors.SCORER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
    }

    @Override
    public ScorerException afterAttempts(ScorerException last, int attempts, long spentMs) {
        return new ScorerException(last.code(), last.getMessage() + " (after " + attempts + " attempts)",
                last.retryable(), spentMs);
    }
}
