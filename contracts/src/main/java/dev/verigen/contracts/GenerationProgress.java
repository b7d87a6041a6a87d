package dev.verigen.contracts;

import java.util.Objects;

/**
 * gpu-worker → orchestrator (topic {@code verigen.gen.progress}): a sample of a running generation job, so far. Sent
 * only for jobs that asked for it ({@link GenerationJob#progressTokens()} > 0), each time a sample has generated
 * another that many tokens; the job's {@link GenerationResult} still follows (or a cancel cuts it short). Partial
 * texts let a strategy judge samples before they end: score them, and cancel the ones not worth finishing.
 *
 * @param pool    the model pool that serves the job
 * @param backend the engine backend ({@code sim} is a simulator, never a real model)
 * @param sample the sample's index within the job
 * @param text   what the sample has generated so far (without the partial solution it continues)
 * @param tokens how many tokens that is
 */
public record GenerationProgress(JobMeta meta, String pool, String backend, int sample, String text, long tokens) {

    public GenerationProgress {
        Objects.requireNonNull(meta, "meta");
        text = text == null ? "" : text;
        if (sample < 0 || tokens < 0) {
            throw new IllegalArgumentException("sample and tokens cannot be negative");
        }
    }
}
