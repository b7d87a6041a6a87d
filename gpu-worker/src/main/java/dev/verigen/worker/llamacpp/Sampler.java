package dev.verigen.worker.llamacpp;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Token sampling and log-probabilities over raw logits, in Java, so that seeds, temperature and top-p behave the same
 * whatever llama.cpp build runs underneath. Sums and normalisers are in double precision.
 */
public final class Sampler {

    private Sampler() {
    }

    /**
     * Picks the next token.
     *
     * @param temperature 0 = greedy (arg max, lowest id on ties); otherwise logits are divided by it before softmax
     * @param topP        nucleus: sample only among the most likely tokens whose probabilities reach {@code topP}
     *                    (after temperature); 1 = the whole vocabulary
     */
    public static int sample(float[] logits, double temperature, double topP, SplittableRandom random) {
        if (temperature == 0) {
            return argMax(logits);
        }
        float max = max(logits);
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = Math.exp((logits[i] - max) / temperature);
            total += weights[i];
        }
        if (topP >= 1.0) {
            return draw(weights, total, random);
        }
        // sort (weight, id) pairs in one primitive array: a positive float's bits order like the float itself
        long[] order = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            order[i] = ((long) Float.floatToIntBits((float) weights[i]) << 32) | i;
        }
        Arrays.sort(order);
        double needed = topP * total;
        double kept = 0;
        int keptFrom = order.length - 1;
        for (int k = order.length - 1; k >= 0; k--) {
            kept += weights[(int) order[k]];
            keptFrom = k;
            if (kept >= needed) {
                break;
            }
        }
        double u = random.nextDouble() * kept;
        for (int k = order.length - 1; k > keptFrom; k--) {
            u -= weights[(int) order[k]];
            if (u < 0) {
                return (int) order[k];
            }
        }
        return (int) order[keptFrom];
    }

    /**
     * log p(token) under the model's own distribution: the log-softmax of the raw logits, at temperature 1 and
     * without top-p truncation, so logprobs of samples drawn with different settings stay comparable (it is what a
     * verifier or reranker wants: how likely the model finds this text, not how it was drawn).
     */
    public static double logProb(float[] logits, int token) {
        float max = max(logits);
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return (logits[token] - max) - Math.log(sum);
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static float max(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        return max;
    }

    private static int draw(double[] weights, double total, SplittableRandom random) {
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        // rounding left u a hair above 0: the last token with any weight
        for (int i = weights.length - 1; i > 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return 0;
    }
}
