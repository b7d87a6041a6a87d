package dev.verigen.orchestrator.strategies.stepwise;

import java.util.SplittableRandom;

/**
 * Particle weights and resampling. Weights are a softmax of the particles' PRM scores (as logits by default: a PRM
 * score is a probability, and Puri et al.'s implementation weighs particles by its log-odds) at a temperature.
 *
 * <p>Entropic annealing (Giannone et al., "Mitigating Premature Exploitation in Particle-based Monte Carlo for
 * Inference-Time Scaling", 2025): when the effective sample size {@code ESS = 1 / Σ w²} of the weights falls below
 * {@code threshold × N}, the temperature becomes {@code T₀ · max(1, N/ESS · (1 − t/T))} for round {@code t} of at
 * most {@code T} rounds, and the weights are recomputed at it. The more the weights have collapsed, the flatter
 * resampling is made, and the boost fades as the search nears its step limit, where exploitation is wanted.
 */
public final class Weights {

    private static final double CLIP = 1e-6;

    private Weights() {
    }

    /**
     * @param weights     normalised resampling weights
     * @param temperature the temperature they were computed at
     * @param ess         their effective sample size
     * @param annealed    whether annealing raised the temperature
     */
    public record Result(double[] weights, double temperature, double ess, boolean annealed) {
    }

    public static double logit(double p) {
        double q = Math.min(1 - CLIP, Math.max(CLIP, p));
        return Math.log(q / (1 - q));
    }

    public static double[] softmax(double[] x, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] w = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            w[i] = Math.exp((x[i] - max) / temperature);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    public static double ess(double[] w) {
        double sq = 0;
        for (double v : w) {
            sq += v * v;
        }
        return 1 / sq;
    }

    /**
     * @param round   the round just scored (1-based)
     * @param horizon the most rounds the search may take
     */
    public static Result compute(double[] scores, double temperature, boolean logits, boolean anneal,
                                 double essThreshold, int round, int horizon) {
        double[] x = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            x[i] = logits ? logit(scores[i]) : scores[i];
        }
        double[] w = softmax(x, temperature);
        double ess = ess(w);
        int n = w.length;
        if (anneal && ess < essThreshold * n) {
            double boost = n / ess * (1 - Math.min(1.0, (double) round / horizon));
            if (boost > 1) {
                double annealed = temperature * boost;
                double[] flatter = softmax(x, annealed);
                return new Result(flatter, annealed, ess(flatter), true);
            }
        }
        return new Result(w, temperature, ess, false);
    }

    /**
     * Systematic resampling: one uniform draw places {@code n} evenly spaced pointers on the cumulative weights,
     * so a particle of weight w is drawn ⌊n·w⌋ or ⌈n·w⌉ times (less variance than independent draws).
     *
     * @return the index drawn for each of the {@code n} slots, in ascending order
     */
    public static int[] systematic(double[] w, int n, long seed) {
        double start = new SplittableRandom(seed).nextDouble() / n;
        int[] picks = new int[n];
        double cumulative = w[0];
        int i = 0;
        for (int slot = 0; slot < n; slot++) {
            double pointer = start + (double) slot / n;
            while (pointer > cumulative && i < w.length - 1) {
                i++;
                cumulative += w[i];
            }
            picks[slot] = i;
        }
        return picks;
    }
}
