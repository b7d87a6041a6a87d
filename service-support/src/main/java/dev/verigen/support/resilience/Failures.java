package dev.verigen.support.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * How one kind of service speaks about failures: which of its exceptions are retryable, how much engine time a
 * failed attempt spent, and the exceptions (with its own stable codes) that stand for a refused or expired call.
 *
 * @param <E> the service's failure exception, carrying a code and a retryable flag
 */
public interface Failures<E extends RuntimeException> {

    Class<E> type();

    /** Retryable failures are also what the circuit breaker counts: a rejected request says nothing of the server. */
    boolean retryable(E failure);

    /** Retryable for the caller, but pointless to retry here after milliseconds (an open breaker, a full bulkhead). */
    boolean notRetriedLocally(E failure);

    /** Engine time the failed attempt spent; real spend that the final answer reports. */
    long spentMs(E failure);

    /** The failure's stable code, for logs. */
    String code(E failure);

    E deadlinePassed(String name, Instant deadline);

    E circuitOpen(String name);

    E overloaded(String name, ResiliencePolicy.BulkheadPolicy bulkhead);

    E timedOut(String name, Duration timeout);

    E interrupted(String name);

    E unexpected(String name, Exception e);

    /** The last failure, restated after several attempts, with their summed engine time. */
    E afterAttempts(E last, int attempts, long spentMs);
}
