package dev.verigen.worker.engine;

import dev.verigen.contracts.EngineRequest;

/**
 * One way of running a model. A backend is a single Spring bean guarded by
 * {@code @ConditionalOnProperty(name = "verigen.worker.backend", havingValue = "<name>")}, so adding one
 * (e.g. {@code openai}, {@code llamacpp}) is one class plus its configuration; the Kafka side stays untouched.
 */
public interface EngineBackend {

    /** Reported as {@code GenerationResult.backend} and as the {@code backend} metrics tag. */
    String name();

    /**
     * Runs the request to completion. Blocking is fine: each job runs on its own listener thread.
     *
     * @throws EngineException when the engine fails in a way the caller should report with a stable code
     */
    EngineOutput generate(EngineRequest request);

    /**
     * Runs the request, watching {@code control}: a backend that can stop mid-generation stops once
     * {@link EngineControl#cancelled()} says so and returns what it generated, marked {@link EngineOutput#cancelled()}
     * (usage = the tokens really generated); one that streams reports samples so far through
     * {@link EngineControl#progress}. The default runs the request to the end and reports nothing on the way.
     */
    default EngineOutput generate(EngineRequest request, EngineControl control) {
        return generate(request);
    }
}
