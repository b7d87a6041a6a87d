package dev.verigen.worker.engine.resilience;

import dev.verigen.support.resilience.Failures;
import dev.verigen.support.resilience.ResiliencePolicy;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** How engine backends' failures read to the shared resilience policies. */
final class EngineFailures implements Failures<EngineException> {

    static final EngineFailures INSTANCE = new EngineFailures();

    /**
     * Retryable for the orchestrator (later, or on another worker) but pointless to retry here after a backoff of
     * milliseconds: the breaker stays open for seconds, and a full bulkhead was already waited on.
     */
    private static final Set<String> NOT_RETRIED_LOCALLY = Set.of(EngineErrors.CIRCUIT_OPEN, EngineErrors.OVERLOADED);

    @Override
    public Class<EngineException> type() {
        return EngineException.class;
    }

    @Override
    public boolean retryable(EngineException failure) {
        return failure.retryable();
    }

    @Override
    public boolean notRetriedLocally(EngineException failure) {
        return NOT_RETRIED_LOCALLY.contains(failure.code());
    }

    @Override
    public long spentMs(EngineException failure) {
        return failure.engineMs();
    }

    @Override
    public String code(EngineException failure) {
        return failure.code();
    }

    @Override
    public EngineException deadlinePassed(String name, Instant deadline) {
        return new EngineException(EngineErrors.DEADLINE_EXCEEDED, "deadline " + deadline + " passed between attempts",
                false);
    }

    @Override
    public EngineException circuitOpen(String name) {
        return new EngineException(EngineErrors.CIRCUIT_OPEN, "circuit breaker of engine backend '" + name
                + "' is open after repeated engine failures; engine not called", true);
    }

    @Override
    public EngineException overloaded(String name, ResiliencePolicy.BulkheadPolicy bulkhead) {
        return new EngineException(EngineErrors.OVERLOADED, "engine backend '" + name + "' has "
                + bulkhead.maxConcurrent() + " requests in flight and none finished within " + bulkhead.maxWait()
                + "; engine not called", true);
    }

    @Override
    public EngineException timedOut(String name, Duration timeout) {
        return new EngineException(EngineErrors.TIMEOUT, "engine backend '" + name + "' did not answer within "
                + timeout, true, timeout.toMillis());
    }

    @Override
    public EngineException interrupted(String name) {
        return new EngineException(EngineErrors.ENGINE_ERROR, "interrupted while waiting for engine backend '"
                + name + "' (worker shutting down)", true);
    }

    @Override
    public EngineException unexpected(String name, Exception e) {
        // only checked exceptions get here, and generate() declares none
        return new EngineException(EngineErrors.WORKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
    }

    @Override
    public EngineException afterAttempts(EngineException last, int attempts, long spentMs) {
        return new EngineException(last.code(), last.getMessage() + " (after " + attempts + " attempts)",
                last.retryable(), spentMs);
    }
}
