package dev.verigen.worker.sim;

import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Spends simulated engine time. The real one waits (cheap on virtual threads); tests swap in one that records. */
@FunctionalInterface
public interface Pacer {

    void spend(Duration duration);

    /**
     * Spends up to {@code duration}, stopping early once {@code stop} says so (a cancelled job); returns the time
     * spent. This default checks only before it starts; the waiting pacer checks as it waits.
     */
    default Duration spend(Duration duration, BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            return Duration.ZERO;
        }
        spend(duration);
        return duration;
    }

    Pacer WAIT = new Waiting();

    /** Sleeps, in slices short enough that a cancel is noticed within a few milliseconds. */
    final class Waiting implements Pacer {

        private static final long SLICE_NANOS = 5_000_000;

        @Override
        public void spend(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                throw interrupted();
            }
        }

        @Override
        public Duration spend(Duration duration, BooleanSupplier stop) {
            long start = System.nanoTime();
            long total = duration.toNanos();
            try {
                while (!stop.getAsBoolean()) {
                    long left = total - (System.nanoTime() - start);
                    if (left <= 0) {
                        return duration;
                    }
                    Thread.sleep(Duration.ofNanos(Math.min(left, SLICE_NANOS)));
                }
            } catch (InterruptedException e) {
                throw interrupted();
            }
            return Duration.ofNanos(Math.min(total, System.nanoTime() - start));
        }

        private static EngineException interrupted() {
            Thread.currentThread().interrupt();
            return new EngineException(EngineErrors.ENGINE_ERROR, "simulated engine interrupted (worker shutting down)",
                    true);
        }
    }
}
