package dev.verigen.worker.sim;

import java.util.SplittableRandom;

/** Simulated GPU timing for one request; see {@link SimProperties.Latency} for the model. */
final class LatencyModel {

    private final SimProperties.Latency config;

    LatencyModel(SimProperties.Latency config) {
        this.config = config;
    }

    /**
     * @param prefillMs time to first token: base overhead plus prefill of the uncached prompt tokens
     * @param decodeMs  time to decode the longest sample of the batch
     */
    record Timing(double prefillMs, double decodeMs) {
        double totalMs() {
            return prefillMs + decodeMs;
        }
    }

    Timing time(int uncachedPromptTokens, int longestCompletionTokens, int concurrentSequences, SplittableRandom random) {
        double prefill = config.ttftMs() + uncachedPromptTokens * config.prefillMsPerToken();
        double decode = longestCompletionTokens * config.decodeMsPerToken() * slowdown(concurrentSequences);
        double jitter = 1 + config.jitter() * (2 * random.nextDouble() - 1);
        return new Timing(prefill * jitter, decode * jitter);
    }

    /** Per-token slowdown of a batch: grows toward 1 + batchSlowdown at a full batch, then sequences queue. */
    double slowdown(int concurrentSequences) {
        int max = config.maxBatchSize();
        double fill = Math.min(concurrentSequences, max) / (double) max;
        double queueing = Math.max(1.0, concurrentSequences / (double) max);
        return (1 + config.batchSlowdown() * fill) * queueing;
    }
}
