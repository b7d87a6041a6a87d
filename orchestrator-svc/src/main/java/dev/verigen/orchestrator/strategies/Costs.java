package dev.verigen.orchestrator.strategies;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Upper bounds of what a job may spend, reserved before it is dispatched. They must never be below the real
 * usage, or a run could overspend; the surplus returns to the budget when the result settles.
 */
public final class Costs {

    /** Room for a chat or role template around the prompt. */
    static final long TEMPLATE_TOKENS = 256;

    /** reward-model-svc's model-backed scorers: {@code judge:<pool>[:k=<n>]} and {@code likelihood:<pool>}. */
    public static final String JUDGE = "judge";
    public static final String LIKELIHOOD = "likelihood";
    /** Judge samples per candidate when the scorer names no {@code k=} (reward-model-svc's {@code judge-k} default). */
    public static final int JUDGE_DEFAULT_K = 4;
    /** The most tokens a judge sample may generate (reward-model-svc caps {@code judge-max-tokens} at this). */
    public static final long JUDGE_MAX_TOKENS = 256;
    /** Room for the judge's instruction and the "Task: … Answer to judge: …" layout, beyond the prompt's template. */
    static final long JUDGE_TEMPLATE_TOKENS = 256;

    private Costs() {
    }

    /** An upper bound of a scoring job's spend. */
    public record ScoringCost(long tokens, long calls) {
    }

    /**
     * What a scoring job may spend. Model-backed scorers run the platform's own models: {@code judge} generates
     * k samples per candidate (calls k × candidates; tokens k × Σ (prompt bound + judge template + candidate bytes +
     * judge max tokens)), {@code likelihood} reads the prompt once and every candidate (calls = candidates; tokens =
     * prompt bound + Σ candidate bytes). Other reward models spend one call per candidate and no token budget.
     */
    public static ScoringCost scoring(String scorer, String prompt, List<String> candidateTexts) {
        return scoring(scorer, prompt, textBytes(candidateTexts));
    }

    /** {@link #scoring(String, String, List)} of candidates known only by their length in bytes. */
    static ScoringCost scoring(String scorer, String prompt, long[] candidateBytes) {
        long calls = candidateBytes.length;
        return switch (baseName(scorer)) {
            case JUDGE -> {
                int k = judgeK(scorer);
                long tokens = 0;
                for (long bytes : candidateBytes) {
                    tokens += promptTokensBound(prompt) + JUDGE_TEMPLATE_TOKENS + bytes + JUDGE_MAX_TOKENS;
                }
                yield new ScoringCost(k * tokens, k * calls);
            }
            case LIKELIHOOD -> new ScoringCost(promptTokensBound(prompt) + LongStream.of(candidateBytes).sum(), calls);
            default -> new ScoringCost(0, calls);
        };
    }

    /** Whether a scorer's usage tokens count against the run's token budget (those running the platform's models). */
    public static boolean scoringSpendsTokens(String scorer) {
        String base = baseName(scorer);
        return base.equals(JUDGE) || base.equals(LIKELIHOOD);
    }

    /** The judge's k: the last {@code k=<n>} variant of the scorer, else {@link #JUDGE_DEFAULT_K}. */
    static int judgeK(String scorer) {
        int k = JUDGE_DEFAULT_K;
        for (String part : scorer.split(":")) {
            if (part.startsWith("k=")) {
                try {
                    k = Math.max(1, Integer.parseInt(part.substring(2)));
                } catch (NumberFormatException e) {
                    // reward-model-svc refuses it as unknown_scorer; reserve for the default
                }
            }
        }
        return k;
    }

    private static String baseName(String scorer) {
        return scorer == null ? "" : scorer.split(":", 2)[0];
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** No tokenizer yields more tokens than the prompt has bytes (byte-level fallback), plus the template. */
    public static long promptTokensBound(String prompt) {
        return prompt.getBytes(StandardCharsets.UTF_8).length + TEMPLATE_TOKENS;
    }

    public static long generationTokens(String prompt, int n, int maxTokens) {
        return promptTokensBound(prompt) + (long) n * maxTokens;
    }

    /**
     * The most a generation job may cost in estimated FLOPs: the prompt bound read once, then n samples of up to
     * maxTokens each (see {@link ComputeEstimator}).
     *
     * @param pool the model pool; null means the run's model
     */
    public static double generationFlops(ComputeEstimator compute, String pool, String prompt, int n, int maxTokens) {
        return compute.generationBound(pool, promptTokensBound(prompt), n, maxTokens);
    }

    /**
     * The most a scoring job may cost in estimated FLOPs. {@code judge:<pool>} generates k samples of up to
     * {@link #JUDGE_MAX_TOKENS} per candidate (each sample priced as if it read its prompt alone, as the token
     * reservation does); {@code likelihood:<pool>} only reads the prompt and the candidates; other reward models run
     * outside the platform's pools and cost none.
     */
    public static double scoringFlops(ComputeEstimator compute, String scorer, String prompt, List<String> candidateTexts) {
        return scoringFlops(compute, scorer, prompt, textBytes(candidateTexts));
    }

    /** {@link #scoringFlops(ComputeEstimator, String, String, List)} of candidates known only by their length. */
    static double scoringFlops(ComputeEstimator compute, String scorer, String prompt, long[] candidateBytes) {
        String pool = scorerPool(scorer);
        return switch (baseName(scorer)) {
            case JUDGE -> {
                int k = judgeK(scorer);
                double flops = 0;
                for (long bytes : candidateBytes) {
                    long judgePrompt = promptTokensBound(prompt) + JUDGE_TEMPLATE_TOKENS + bytes;
                    flops += k * compute.generationBound(pool, judgePrompt, 1, JUDGE_MAX_TOKENS);
                }
                yield flops;
            }
            case LIKELIHOOD -> compute.prefill(pool, promptTokensBound(prompt) + LongStream.of(candidateBytes).sum());
            default -> 0;
        };
    }

    private static long[] textBytes(List<String> texts) {
        return texts.stream().mapToLong(Costs::bytes).toArray();
    }

    /**
     * The pool a model-backed scorer runs on ({@code judge:<pool>[:k=<n>]}, {@code likelihood:<pool>}); null for
     * other scorers.
     */
    public static String scorerPool(String scorer) {
        if (!scoringSpendsTokens(scorer)) {
            return null;
        }
        String[] parts = scorer.split(":");
        return parts.length > 1 && !parts[1].startsWith("k=") ? parts[1] : null;
    }

    /**
     * A job's reservation bound in every unit, as the run driver reserves it: tokens, model calls and FLOPs (whole
     * FLOPs, rounded up, as {@code budgets.Amount} books them). Strategies size their jobs with these and pay for
     * them from a {@link Headroom}, so what they ask for always fits the run's budget.
     */
    public record Bound(long tokens, long calls, double flops) {
        public static final Bound NONE = new Bound(0, 0, 0);

        public Bound {
            flops = Math.ceil(flops);
        }

        public Bound plus(Bound other) {
            return new Bound(tokens + other.tokens, calls + other.calls, flops + other.flops);
        }

        public Bound times(int n) {
            return new Bound(tokens * n, calls * n, flops * n);
        }
    }

    /**
     * What a generation job reserves: {@code n} samples of up to {@code maxTokens} after {@code read} (the prompt,
     * or the prompt and the partial continued) on {@code pool}.
     *
     * @param pool the action's pool; null means the run's model (as {@code compute} is bound to it)
     */
    public static Bound generation(ComputeEstimator compute, String pool, String read, int n, int maxTokens) {
        return new Bound(generationTokens(read, n, maxTokens), n, generationFlops(compute, pool, read, n, maxTokens));
    }

    /** What a scoring job of these candidates reserves (see {@link #scoring} and {@link #scoringFlops}). */
    public static Bound scoring(ComputeEstimator compute, String scorer, String prompt, List<String> candidateTexts) {
        return scoring(compute, scorer, prompt, textBytes(candidateTexts));
    }

    /** What scoring candidates of these lengths in bytes would reserve: for plans of texts still to come. */
    public static Bound scoring(ComputeEstimator compute, String scorer, String prompt, long... candidateBytes) {
        ScoringCost cost = scoring(scorer, prompt, candidateBytes);
        return new Bound(cost.tokens(), cost.calls(), scoringFlops(compute, scorer, prompt, candidateBytes));
    }

    /** Whether the budget can pay for a scoring job (calls, tokens and FLOPs). */
    public static boolean canAffordScoring(RunState.Budget budget, String scorer, String prompt,
                                           List<String> candidateTexts) {
        return Headroom.of(budget).affords(scoring(budget.compute(), scorer, prompt, candidateTexts));
    }

    /** How many of the wanted samples of the run's model the budget can still pay for. */
    public static int affordableSamples(RunState.Budget budget, String prompt, int wanted, int maxTokens) {
        return affordableSamples(budget, null, prompt, wanted, maxTokens);
    }

    /**
     * How many of the wanted samples (one job) the budget can still pay for, in tokens, calls and FLOPs.
     *
     * @param pool the model pool; null means the run's model
     */
    public static int affordableSamples(RunState.Budget budget, String pool, String prompt, int wanted, int maxTokens) {
        return Headroom.of(budget).most(wanted, n -> generation(budget.compute(), pool, prompt, n, maxTokens));
    }
}
