package dev.verigen.orchestrator.strategies.sampling;

/**
 * When more votes are pointless: Adaptive-Consistency's Beta criterion (Aggarwal et al., 2023). Treat the leading
 * answer's share among the two leading answers as unknown, p ~ Beta(leader + 1, runnerUp + 1) (a uniform prior
 * updated by the votes), and stop once P(p > 1/2) — the probability that the leader really is ahead, so that more
 * samples would not overturn it — reaches the confidence. Answers behind the runner-up are ignored, as in the paper.
 * Vote masses may be fractional (reward-weighted votes), so the regularised incomplete beta function is computed
 * numerically (Lentz's continued fraction); for whole counts it equals P(Binomial(leader + runnerUp + 1, 1/2) ≤ leader).
 */
public final class StoppingRule {

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7};
    private static final int MAX_ITERATIONS = 10_000;
    private static final double EPSILON = 1e-15;
    private static final double TINY = 1e-300;

    private StoppingRule() {
    }

    /** P(the leader's true share of the two leading answers exceeds one half), given their vote masses. */
    public static double leaderStays(double leader, double runnerUp) {
        if (leader < 0 || runnerUp < 0 || Double.isNaN(leader) || Double.isNaN(runnerUp)) {
            throw new IllegalArgumentException("vote masses must be non-negative");
        }
        // P(X > 1/2) for X ~ Beta(a, b) is I_{1/2}(b, a)
        return regularizedBeta(0.5, runnerUp + 1, leader + 1);
    }

    /** Whether the leader is safe at this confidence. */
    public static boolean safe(double leader, double runnerUp, double confidence) {
        return leaderStays(leader, runnerUp) >= confidence;
    }

    /** I_x(a, b), the regularised incomplete beta function, for a, b > 0 and x in [0, 1]. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        // the continued fraction converges fast only on this side of the mean; use the symmetry on the other
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = nonZero(1 - qab * x / qap);
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 / nonZero(1 + aa * d);
            c = nonZero(1 + aa / c);
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 / nonZero(1 + aa * d);
            c = nonZero(1 + aa / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return h;
    }

    private static double nonZero(double v) {
        return Math.abs(v) < TINY ? TINY : v;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7): accurate to about 15 digits. */
    static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
