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
                            @Valid SolveRate solveRate, @Valid Latency latency, @Valid Failures failures,
                            @Valid Realism realism) {

    public SimProperties {
        seed = seed == null ? 0L : seed;
        charsPerToken = charsPerToken == null ? 4 : charsPerToken;
        solveRate = solveRate == null ? new SolveRate(null, null, null) : solveRate;
        latency = latency == null ? new Latency(null, null, null, null, null, null, null, null) : latency;
        failures = failures == null ? new Failures(null, null, null, null) : failures;
        realism = realism == null ? Realism.DEFAULT : realism;
    }

    public static SimProperties defaults() {
        return new SimProperties(null, null, null, null, null, null);
    }

    public SimProperties withRealism(Realism realism) {
        return new SimProperties(seed, charsPerToken, solveRate, latency, failures, realism);
    }

    /**
     * How far the simulated model behaves like a real one rather than a coin per sample (each 0 turns one property
     * off; {@link #OFF} turns all off). The defaults are the platform's simulator: benchmarks state the values they ran
     * with.
     *
     * @param errorConcentration share of wrong samples that state one of the task's misconceptions
     *                           ({@code contracts.simulation.TaskTruth}) rather than a fresh slip: wrong answers that
     *                           agree across samples, which majority votes cannot wash out
     * @param accuracySlope      logit change of a sample's solve rate per unit of temperature below
     *                           {@value #REFERENCE_TEMPERATURE} (positive: cooler sampling is more accurate per sample)
     * @param collapseScale      at temperature T a sample is the task's mode (greedy) sample with probability
     *                           exp(-T / collapseScale): cooler sampling is less diverse; T = 0 is always the mode
     * @param checksWhenRight    mean number of "let me double-check" lines in a right sample (Poisson)
     * @param checksWhenWrong    the same in a wrong sample: wrong reasoning is longer, the premise of first-finish
     * @param confidentErrors    how close a misconception's likelihood per token is to a right answer's (0: as unlikely
     *                           as any wrong answer; 1: as likely as a right one, scaled by its appeal)
     * @param judge              the simulated LLM judge (GenRM) the engine answers judge prompts as
     */
    public record Realism(@DecimalMin("0") @DecimalMax("1") Double errorConcentration,
                          @DecimalMin("0") Double accuracySlope, @DecimalMin("0") Double collapseScale,
                          @DecimalMin("0") Double checksWhenRight, @DecimalMin("0") Double checksWhenWrong,
                          @DecimalMin("0") @DecimalMax("1") Double confidentErrors, @Valid Judge judge) {

        /** The temperature at which a sample's solve rate is the task's latent rate. */
        public static final double REFERENCE_TEMPERATURE = 0.8;

        public static final Realism DEFAULT = new Realism(null, null, null, null, null, null, null);
        /** A coin per sample: independent wrong answers, no length signal, temperature changes nothing but T = 0. */
        public static final Realism OFF = new Realism(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, Judge.INDEPENDENT);

        public Realism {
            errorConcentration = errorConcentration == null ? 0.6 : errorConcentration;
            accuracySlope = accuracySlope == null ? 0.75 : accuracySlope;
            collapseScale = collapseScale == null ? 0.3 : collapseScale;
            checksWhenRight = checksWhenRight == null ? 0.3 : checksWhenRight;
            checksWhenWrong = checksWhenWrong == null ? 1.2 : checksWhenWrong;
            confidentErrors = confidentErrors == null ? 0.5 : confidentErrors;
            judge = judge == null ? Judge.DEFAULT : judge;
        }

        /** A sample's solve rate at {@code temperature}, from the task's latent rate {@code p} at the reference. */
        public double solveRate(double p, double temperature) {
            if (accuracySlope == 0) {
                return p;
            }
            double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
            double logit = Math.log(q / (1 - q)) + accuracySlope * (REFERENCE_TEMPERATURE - temperature);
            return 1 / (1 + Math.exp(-logit));
        }

        /** The probability that a sample at {@code temperature} is the task's mode sample. */
        public double collapse(double temperature) {
            if (temperature <= 0) {
                return 1;
            }
            return collapseScale == 0 ? 0 : Math.exp(-temperature / collapseScale);
        }

        /** A short description for benchmark reports. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "errorConcentration %.2f, accuracySlope %.2f, collapseScale "
                            + "%.2f, checks right/wrong %.1f/%.1f, confidentErrors %.2f, judge accuracy %.2f "
                            + "(correlation %.1f, sharedErrors %.2f)", errorConcentration, accuracySlope,
                    collapseScale, checksWhenRight, checksWhenWrong, confidentErrors, judge.accuracy(),
                    judge.correlation(), judge.sharedErrors());
        }
    }

    /**
     * The simulated LLM judge: says "correct" of a right answer, and "incorrect" of a wrong one, with probability
     * {@code accuracy} on average; each (task, answer) has its own bias, a logit offset drawn once with standard
     * deviation {@code correlation}, so the k verdicts about one answer are correlated (more judge samples help less
     * than independent ones would); a misconception is judged correct more often, by {@code sharedErrors} × its
     * appeal on the logit scale of the accuracy.
     */
    public record Judge(@DecimalMin("0.5") @DecimalMax("0.9999") Double accuracy, @DecimalMin("0") Double correlation,
                        @DecimalMin("0") @DecimalMax("1") Double sharedErrors) {
        public static final Judge DEFAULT = new Judge(null, null, null);
        public static final Judge INDEPENDENT = new Judge(0.85, 0.0, 0.0);

        public Judge {
            accuracy = accuracy == null ? 0.85 : accuracy;
            correlation = correlation == null ? 1.0 : correlation;
            sharedErrors = sharedErrors == null ? 0.5 : sharedErrors;
        }
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
