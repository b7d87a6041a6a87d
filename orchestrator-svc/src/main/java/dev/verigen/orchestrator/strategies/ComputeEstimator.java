package dev.verigen.orchestrator.strategies;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Estimated compute of model work in "effective FLOPs", after Kinetics ("Rethinking test-time scaling laws"):
 * dense compute (2 · parameters per token read or generated) plus the attention's KV-cache memory traffic, converted
 * to FLOPs by the hardware's arithmetic intensity (FLOPs it can do per byte it moves). A long generation on a small
 * model is memory-bound, and counting parameters alone would call it cheap.
 *
 * <pre>eFLOPs = 2·P·(prompt + Σ completion) + I · Σ_sequences kvBytesPerToken · (c·p + c·(c−1)/2)</pre>
 *
 * A prompt shared by n samples is read once (prefill) and every sample attends to it. The same formula prices a
 * reservation (from upper bounds of the token counts) and a settlement (from measured ones); it grows with every
 * count, so a reservation is never below what the job's measured usage settles to.
 *
 * @param models              model size by pool
 * @param unknownModel        the size assumed for a pool not in {@code models}; big, so an unknown pool is never cheap
 * @param arithmeticIntensity FLOPs per byte of memory traffic of the serving hardware (≈ 295 for an H100:
 *                            989 dense bf16 TFLOP/s over 3.35 TB/s)
 * @param runModel            the pool a null pool means (a run's own model); null outside a run
 */
public record ComputeEstimator(Map<String, ModelSize> models, ModelSize unknownModel, double arithmeticIntensity,
                               String runModel) {

    /** The sizes the shipped application.yml configures; for code that runs without Spring (tests). */
    public static final ComputeEstimator DEFAULTS = new ComputeEstimator(Map.of(
            "sim-math", new ModelSize(7e9, 32, 1024, 2),
            "arith-tiny", new ModelSize(919_680, 4, 128, 2)),
            new ModelSize(70e9, 80, 1024, 2), 295, null);

    public ComputeEstimator {
        models = Map.copyOf(models);
        Objects.requireNonNull(unknownModel, "unknownModel");
        if (!(arithmeticIntensity >= 0) || Double.isInfinite(arithmeticIntensity)) {
            throw new IllegalArgumentException("arithmeticIntensity must be a finite number >= 0");
        }
    }

    /** This estimator with {@code pool} as what a null pool means. */
    public ComputeEstimator forRun(String pool) {
        return new ComputeEstimator(models, unknownModel, arithmeticIntensity, pool);
    }

    /** The pool's model size; null means the run's model; an unknown pool gets {@link #unknownModel}. */
    public ModelSize model(String pool) {
        String name = pool == null ? runModel : pool;
        ModelSize size = name == null ? null : models.get(name);
        return size == null ? unknownModel : size;
    }

    /**
     * A generation as measured: one prompt read once, then each sequence generated after it.
     *
     * @param completionTokens the completion tokens of each sequence (sample)
     */
    public double generation(String pool, long promptTokens, List<Long> completionTokens) {
        ModelSize m = model(pool);
        double generated = 0;
        double kvBytes = 0;
        for (long c : completionTokens) {
            generated += c;
            kvBytes += m.kvReadBytes(promptTokens, c);
        }
        return m.computeFlops(promptTokens + generated) + arithmeticIntensity * kvBytes;
    }

    /** The most {@code n} samples of at most {@code maxTokens} each after a prompt of at most {@code promptTokens} can cost. */
    public double generationBound(String pool, long promptTokens, long n, long maxTokens) {
        ModelSize m = model(pool);
        return m.computeFlops(promptTokens + (double) n * maxTokens)
                + arithmeticIntensity * n * m.kvReadBytes(promptTokens, maxTokens);
    }

    /**
     * A job known only by its usage totals (a judge's k samples per candidate, a failed generation): the prompt
     * tokens are split evenly over {@code prompts} prompts and the completion tokens evenly over the sequences.
     * Averages never exceed the maxima a reservation assumes, so this stays within the job's reservation (uneven
     * lengths make the real KV traffic a little larger than the even split's).
     *
     * @param sequences generated sequences (the usage's model calls)
     * @param prompts   distinct prompts the sequences were generated after (at least 1)
     */
    public double fromUsage(String pool, long promptTokens, long completionTokens, long sequences, int prompts) {
        ModelSize m = model(pool);
        double kvBytes = 0;
        if (completionTokens > 0 && sequences > 0) {
            double context = (double) promptTokens / Math.max(1, prompts);
            kvBytes = sequences * m.kvReadBytes(context, (double) completionTokens / sequences);
        }
        return m.computeFlops(promptTokens + completionTokens) + arithmeticIntensity * kvBytes;
    }

    /** Reading tokens without generating (a likelihood scorer's teacher-forced prefill): compute only. */
    public double prefill(String pool, long tokens) {
        return model(pool).computeFlops(tokens);
    }
}
