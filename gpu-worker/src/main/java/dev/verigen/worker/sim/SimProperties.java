package dev.verigen.worker.sim;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the engine simulator ({@code verigen.worker.sim.*}). Every field is optional; the defaults below are
 * the single source of defaults, kept small so tests run fast.
 *
 * @param seed          mixed into every random draw, so two simulated "models" can differ on the same prompts
 * @param charsPerToken the tokenizer estimate
 */
@Validated
@ConfigurationProperties("verigen.worker.sim")
public record SimProperties(Long seed, @Min(1) Integer charsPerToken,
                            @Valid SolveRate solveRate, @Valid Latency latency, @Valid Failures failures) {

    public SimProperties {
        seed = seed == null ? 0L : seed;
        charsPerToken = charsPerToken == null ? 4 : charsPerToken;
        solveRate = solveRate == null ? new SolveRate(null, null, null) : solveRate;
        latency = latency == null ? new Latency(null, null, null, null, null, null, null, null) : latency;
        failures = failures == null ? new Failures(null, null, null, null) : failures;
    }

    public static SimProperties defaults() {
        return new SimProperties(null, null, null, null, null);
    }

    /**
     * Each prompt's latent solve rate p is drawn once from Beta(alpha, beta), seeded by the task text, then shifted
     * on the logit scale by {@code difficulty} (positive = harder): p' = sigmoid(logit(p) - difficulty).
     */
    public record SolveRate(@DecimalMin(value = "0", inclusive = false) Double alpha,
                            @DecimalMin(value = "0", inclusive = false) Double beta,
                            Double difficulty) {
        public SolveRate {
            alpha = alpha == null ? 2.0 : alpha;
            beta = beta == null ? 2.0 : beta;
            difficulty = difficulty == null ? 0.0 : difficulty;
        }
    }

    /**
     * A GPU engine's timing: time to first token plus prefill of uncached prompt tokens, then the n samples decode
     * as one batch at {@code decodeMsPerToken}, slowed by up to {@code batchSlowdown} (relative) as concurrent
     * sequences approach {@code maxBatchSize}, and proportionally more beyond it (queueing).
     *
     * @param jitter            relative spread of the seeded jitter, e.g. 0.1 for +-10 %
     * @param prefixCacheBlocks LRU capacity of the prefix cache, in blocks of {@code prefixBlockTokens}
     */
    public record Latency(@DecimalMin("0") Double ttftMs, @DecimalMin("0") Double prefillMsPerToken,
                          @DecimalMin("0") Double decodeMsPerToken, @Min(1) Integer maxBatchSize,
                          @DecimalMin("0") Double batchSlowdown, @DecimalMin("0") @DecimalMax("0.9") Double jitter,
                          @Min(0) Integer prefixCacheBlocks, @Min(1) Integer prefixBlockTokens) {
        public Latency {
            ttftMs = ttftMs == null ? 10.0 : ttftMs;
            prefillMsPerToken = prefillMsPerToken == null ? 0.1 : prefillMsPerToken;
            decodeMsPerToken = decodeMsPerToken == null ? 1.0 : decodeMsPerToken;
            maxBatchSize = maxBatchSize == null ? 64 : maxBatchSize;
            batchSlowdown = batchSlowdown == null ? 1.0 : batchSlowdown;
            jitter = jitter == null ? 0.1 : jitter;
            prefixCacheBlocks = prefixCacheBlocks == null ? 4096 : prefixCacheBlocks;
            prefixBlockTokens = prefixBlockTokens == null ? 16 : prefixBlockTokens;
        }
    }

    /** Probabilities, per request, of injected engine failures; all 0 by default. */
    public record Failures(@DecimalMin("0") @DecimalMax("1") Double timeout,
                           @DecimalMin("0") @DecimalMax("1") Double rateLimited,
                           @DecimalMin("0") @DecimalMax("1") Double serverError,
                           @DecimalMin("0") @DecimalMax("1") Double malformed) {
        public Failures {
            timeout = timeout == null ? 0.0 : timeout;
            rateLimited = rateLimited == null ? 0.0 : rateLimited;
            serverError = serverError == null ? 0.0 : serverError;
            malformed = malformed == null ? 0.0 : malformed;
            if (timeout + rateLimited + serverError + malformed > 1.0) {
                throw new IllegalArgumentException("failure probabilities must sum to at most 1");
            }
        }
    }
}
