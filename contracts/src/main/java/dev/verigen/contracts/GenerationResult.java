package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;

/**
 * gpu-worker → orchestrator: the samples of one generation job, or why there are none.
 *
 * @param pool    the model pool that served it
 * @param backend the engine backend that produced it ({@code sim} is a simulator, never a real model)
 * @param samples generated samples, possibly fewer than asked for when the job failed part-way
 * @param usage   measured usage
 * @param error   set when the job failed
 */
public record GenerationResult(JobMeta meta, String pool, String backend, List<Sample> samples,
                               Usage usage, JobError error) {

    public GenerationResult {
        Objects.requireNonNull(meta, "meta");
        samples = samples == null ? List.of() : List.copyOf(samples);
        usage = usage == null ? Usage.ZERO : usage;
    }

    public static GenerationResult failed(JobMeta meta, String pool, String backend, JobError error, Usage usage) {
        return new GenerationResult(meta, pool, backend, List.of(), usage, Objects.requireNonNull(error, "error"));
    }

    public boolean ok() {
        return error == null;
    }

    /**
     * One generated sample.
     *
     * @param index            position within the request, 0-based
     * @param finishReason     {@code stop}, {@code length} or {@code error}
     * @param completionTokens tokens generated for this sample
     * @param logprob          sum of the sampled tokens' log-probabilities, when the engine reported them
     */
    public record Sample(int index, String text, String finishReason, long completionTokens, Double logprob) {
        public Sample {
            text = text == null ? "" : text;
        }
    }
}
