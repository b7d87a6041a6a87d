package dev.verigen.contracts;

import java.util.Objects;

/**
 * Orchestrator → generator-svc: produce {@code n} samples for one role of a pipeline.
 *
 * @param role     what the samples are for; selects the prompt template
 * @param pool     the model pool (a model served by a group of gpu-workers)
 * @param prompt   the task text, before templating
 * @param sampling sampling settings
 * @param n        number of samples wanted
 * @param partial  for step-wise search: the partial solution the samples continue (null: start afresh)
 * @param oneStep  stop each sample at the end of its next step (the pool's step delimiter)
 */
public record GenerationJob(JobMeta meta, Role role, String pool, String prompt, SamplingParams sampling, int n,
                            String partial, boolean oneStep) {

    public GenerationJob(JobMeta meta, Role role, String pool, String prompt, SamplingParams sampling, int n) {
        this(meta, role, pool, prompt, sampling, n, null, false);
    }

    public GenerationJob {
        Objects.requireNonNull(meta, "meta");
        role = role == null ? Role.GENERATE : role;
        JobError.requireText(pool, "pool");
        Objects.requireNonNull(prompt, "prompt");
        sampling = sampling == null ? SamplingParams.DEFAULT : sampling;
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
    }

    /** The roles a generation can play in a pipeline; each has its own prompt template. */
    public enum Role { GENERATE, CRITIQUE, RANK, FUSE, REFINE, JUDGE }
}
