package dev.verigen.reward.sim;

/**
 * What {@code sim-orm}'s knobs mean in terms people tune reward models by, computed from the model's definition
 * (score = sigmoid(±separation/2 + noise·Z)). Used by tests and handy when choosing a separation.
 */
public final class Calibration {

    private Calibration() {
    }

    /** Probability a random correct candidate outscores a random wrong one: Φ(separation / (noise·√2)). */
    public static double expectedAuc(double separation, double noise) {
        return normalCdf(separation / (noise * Math.sqrt(2)));
    }

    /** Expected mean score of correct minus wrong candidates, integrating the sigmoid over the Gaussian noise. */
    public static double expectedMeanGap(double separation, double noise) {
        return meanScore(separation / 2, noise) - meanScore(-separation / 2, noise);
    }

    static double meanScore(double mu, double noise) {
        int steps = 4000;
        double lo = -8;
        double h = 16.0 / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double z = lo + i * h;
            double w = (i == 0 || i == steps) ? 0.5 : 1;
            sum += w * SimulatedOutcomeRewardModel.sigmoid(mu + noise * z) * Math.exp(-z * z / 2);
        }
        return sum * h / Math.sqrt(2 * Math.PI);
    }

    static double normalCdf(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    // Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: plenty for calibration figures
    private static double erf(double x) {
        double sign = Math.signum(x);
        double a = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * a);
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-a * a);
        return sign * y;
    }
}
