package dev.verigen.orchestrator.experiments.metrics;

import java.util.List;

/**
 * The exponentiated power law of Large Language Monkeys (Brown et al., 2024) fitted to a coverage curve:
 * −log C(k) ≈ exp(a) · k^b, i.e. a least-squares line log(−log C) = a + b·log k. b < 0 when more samples help;
 * the fit extrapolates how coverage would grow with a larger budget.
 *
 * @param r2     coefficient of determination in the log-log space fitted; null when the points are all equal
 * @param points how many (k, C) points the fit used: those with 0 < C < 1, where log(−log C) is finite
 */
public record CoverageFit(double a, double b, Double r2, int points) {

    /** The fitted coverage at k. */
    public double predict(double k) {
        return Math.exp(-Math.exp(a) * Math.pow(k, b));
    }

    /** The fit over a pass@k curve, or null with fewer than two usable points at distinct k. */
    public static CoverageFit of(List<AtK> curve) {
        double[] x = new double[curve.size()];
        double[] y = new double[curve.size()];
        int m = 0;
        for (AtK p : curve) {
            if (p.value() > 0 && p.value() < 1) {
                x[m] = Math.log(p.k());
                y[m] = Math.log(-Math.log(p.value()));
                m++;
            }
        }
        if (m < 2) {
            return null;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m; i++) {
            mx += x[i] / m;
            my += y[i] / m;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < m; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0) {
            return null;
        }
        double b = sxy / sxx;
        double a = my - b * mx;
        double residual = 0;
        for (int i = 0; i < m; i++) {
            double e = y[i] - (a + b * x[i]);
            residual += e * e;
        }
        return new CoverageFit(a, b, syy == 0 ? null : 1 - residual / syy, m);
    }
}
