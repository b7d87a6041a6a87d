package dev.verigen.contracts;

import java.util.List;
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
 * @param continuations scoring mode when non-empty: the engine samples nothing and returns one sample per
 *                 continuation, its {@code logprob} the teacher-forced log-likelihood of the continuation after the
 *                 rendered prompt and {@code completionTokens} its length in tokens ({@code n} should equal
 *                 their number). Empty (the default): sample {@code n} completions
 * @param progressTokens report each sample's text so far every this many generated tokens
 *                 ({@link GenerationProgress}); 0 (the default): only the result
 */
public record GenerationJob(JobMeta meta, Role role, String pool, String prompt, SamplingParams sampling, int n,
                            String partial, boolean oneStep, List<String> continuations, int progressTokens) {

    public GenerationJob(JobMeta meta, Role role, String pool, String prompt, SamplingParams sampling, int n) {
        this(meta, role, pool, prompt, sampling, n, null, false, List.of(), 0);
    }

    public GenerationJob(JobMeta meta, Role role, String pool, String prompt, SamplingParams sampling, int n,
                         String partial, boolean oneStep) {
        this(meta, role, pool, prompt, sampling, n, partial, oneStep, List.of(), 0);
    }

    public GenerationJob(JobMeta meta, Role role, String pool, String prompt, SamplingParams sampling, int n,
                         String partial, boolean oneStep, List<String> continuations) {
        this(meta, role, pool, prompt, sampling, n, partial, oneStep, continuations, 0);
    }

    /** Scoring mode: the likelihood of each continuation after the prompt, nothing sampled. */
    public static GenerationJob scoring(JobMeta meta, Role role, String pool, String prompt, List<String> continuations) {
        return new GenerationJob(meta, role, pool, prompt, null, Math.max(1, continuations.size()), null, false,
                continuations, 0);
    }

    public boolean scoringMode() {
        return !continuations.isEmpty();
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
        continuations = continuations == null ? List.of() : List.copyOf(continuations);
        if (progressTokens < 0) {
            throw new IllegalArgumentException("progressTokens cannot be negative");
        }
    }

    /** The roles a generation can play in a pipeline; each has its own prompt template. */
    public enum Role { GENERATE, CRITIQUE, RANK, FUSE, REFINE, JUDGE }
}
