package dev.verigen.worker.sim;

import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;

import java.time.Duration;

/** Spends simulated engine time. The real one waits (cheap on virtual threads); tests swap in one that records. */
@FunctionalInterface
public interface Pacer {

    void spend(Duration duration);

    Pacer WAIT = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineErrors.ENGINE_ERROR, "simulated engine interrupted (worker shutting down)", true);
        }
    };
}
