package dev.verigen.contracts;

import java.util.List;
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
 * @param continuations scoring mode when non-empty: sample nothing; return one sample per continuation with its
 *                     teacher-forced log-likelihood after {@code prompt} ({@code logprob}, summed over its tokens)
 *                     and its token count ({@code completionTokens}). Usage: prompt tokens = the prompt once plus
 *                     every continuation's tokens, completion tokens 0, calls = number of continuations
 * @param progressTokens report each sample's text so far every this many generated tokens (0: never)
 */
public record EngineRequest(JobMeta meta, String pool, String prompt, String task, SamplingParams sampling, int n,
                            String partial, List<String> continuations, int progressTokens) {

    public EngineRequest(JobMeta meta, String pool, String prompt, String task, SamplingParams sampling, int n) {
        this(meta, pool, prompt, task, sampling, n, null, List.of(), 0);
    }

    public EngineRequest(JobMeta meta, String pool, String prompt, String task, SamplingParams sampling, int n,
                         String partial) {
        this(meta, pool, prompt, task, sampling, n, partial, List.of(), 0);
    }

    public EngineRequest(JobMeta meta, String pool, String prompt, String task, SamplingParams sampling, int n,
                         String partial, List<String> continuations) {
        this(meta, pool, prompt, task, sampling, n, partial, continuations, 0);
    }

    public boolean scoringMode() {
        return !continuations.isEmpty();
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
        continuations = continuations == null ? List.of() : List.copyOf(continuations);
        if (progressTokens < 0) {
            throw new IllegalArgumentException("progressTokens cannot be negative");
        }
    }
}
