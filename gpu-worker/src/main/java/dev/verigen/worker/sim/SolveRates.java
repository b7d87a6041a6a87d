package dev.verigen.worker.sim;

import dev.verigen.contracts.simulation.Seeds;
import java.util.SplittableRandom;

/**
 * The latent probability that the simulated model solves a task. It depends on the task text only (not on the
 * seed): difficulty is a property of the prompt, the seed only decides which samples land on the right side of it.
 */
public final class SolveRates {

    private static final long SALT = 0x5017e5L;
    private static final double MIN = 1e-4;

    private final SimProperties.SolveRate config;

    public SolveRates(SimProperties.SolveRate config) {
        this.config = config;
    }

    public double of(String task) {
        SplittableRandom random = Seeds.random(SALT, Seeds.hash(task));
        double x = gamma(config.alpha(), random);
        double y = gamma(config.beta(), random);
        double p = x / (x + y);
        if (config.difficulty() != 0.0) {
            p = clamp(p);
            double logit = Math.log(p / (1 - p)) - config.difficulty();
            p = 1 / (1 + Math.exp(-logit));
        }
        return clamp(p);
    }

    private static double clamp(double p) {
        return Math.min(1 - MIN, Math.max(MIN, p));
    }

    /** Marsaglia-Tsang; for shape < 1 the usual boost via U^(1/shape). */
    private static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian of its own that is stable across JDKs
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
