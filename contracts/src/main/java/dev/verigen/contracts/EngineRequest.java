package dev.verigen.contracts;

import java.util.Objects;

/**
 * generator-svc → gpu-worker (topic {@code verigen.gpu.jobs.<pool>}): an engine-ready request.
 *
 * @param pool         the model pool the request is for
 * @param prompt       the fully templated prompt the engine sees
 * @param task         the untemplated task text, which simulators use to decide what is correct
 * @param sampling     sampling settings
 * @param n            number of samples; they share one prompt prefill where the engine can
 * @param partial      the partial solution the prompt ends with, when samples continue one (step-wise search)
 */
public record EngineRequest(JobMeta meta, String pool, String prompt, String task, SamplingParams sampling, int n,
                            String partial) {

    public EngineRequest(JobMeta meta, String pool, String prompt, String task, SamplingParams sampling, int n) {
        this(meta, pool, prompt, task, sampling, n, null);
    }

    public EngineRequest {
        Objects.requireNonNull(meta, "meta");
        JobError.requireText(pool, "pool");
        Objects.requireNonNull(prompt, "prompt");
        task = task == null ? prompt : task;
        sampling = sampling == null ? SamplingParams.DEFAULT : sampling;
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
    }
}
