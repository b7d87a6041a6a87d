package dev.verigen.orchestrator.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits a {@link CurveBook} from training observations, deterministically (same observations, same book):
 * <ol>
 *   <li>per stage, a ridge-regularised logistic regression (Newton/IRLS) of "the vote at this stage is right" on the
 *       features, from the voting arm's observations whose size is the stage itself;</li>
 *   <li>bins: quantiles of the fitted difficulty (1 − P(right)) over those training rows;</li>
 *   <li>per (arm, stage, bin, size): mean accuracy and tokens, then isotonic regression over size (pool adjacent
 *       violators, weighted by counts), since spending more on the same item cannot make the expected answer worse
 *       (what looks like a dip is noise); the curve's ceiling is where it ends.</li>
 * </ol>
 */
final class CurveFit {

    private static final double RIDGE = 1e-2;
    private static final int NEWTON_STEPS = 60;

    private CurveFit() {
    }

    static CurveBook fit(String pool, String suite, String votingArm, double voteExponent, int bins,
                         List<Observation> observations) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be positive");
        }
        Map<Integer, List<Observation>> atStage = new TreeMap<>();
        double tokens = 0;
        double samples = 0;
        for (Observation o : observations) {
            if (o.strategy().equals(votingArm) && o.size() == o.stage()) {
                atStage.computeIfAbsent(o.stage(), k -> new ArrayList<>()).add(o);
                tokens += o.tokens();
                samples += o.size();
            }
        }
        if (atStage.isEmpty()) {
            throw new IllegalArgumentException("no observation of the voting arm '" + votingArm + "' at its own stage");
        }
        List<CurveBook.Stage> stages = new ArrayList<>();
        atStage.forEach((stage, rows) -> stages.add(stage(stage, rows, bins)));
        var book = new CurveBook(pool, suite, "fitted", bins, voteExponent, tokens / samples, 0, stages, List.of());
        return new CurveBook(pool, suite, "fitted", bins, voteExponent, tokens / samples, 0, stages,
                curves(book, observations));
    }

    private static CurveBook.Stage stage(int stage, List<Observation> rows, int bins) {
        boolean withPassRate = rows.stream().allMatch(o -> o.features().passRate() != null);
        double[][] x = new double[rows.size()][];
        double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = rows.get(i).features().vector(withPassRate);
            y[i] = rows.get(i).correct() ? 1 : 0;
        }
        double[] w = logistic(x, y);
        List<Double> weights = Arrays.stream(w).boxed().toList();
        var provisional = new CurveBook.Stage(stage, withPassRate, weights, List.of(), List.of());
        double[] difficulty = rows.stream().mapToDouble(o -> 1 - provisional.confidence(o.features())).sorted()
                .toArray();
        List<Double> bounds = new ArrayList<>();
        for (int k = 1; k < bins; k++) {
            bounds.add(quantile(difficulty, k / (double) bins));
        }
        var binned = new CurveBook.Stage(stage, withPassRate, weights, bounds, List.of());
        double[] sum = new double[bins];
        int[] count = new int[bins];
        for (Observation o : rows) {
            int b = binned.bin(o.features()) - 1;
            sum[b] += o.solveRate() != null ? o.solveRate() : o.correct() ? 1 : 0;
            count[b]++;
        }
        double overall = Arrays.stream(sum).sum() / Math.max(1, rows.size());
        List<Double> solve = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            solve.add(count[b] == 0 ? overall : sum[b] / count[b]); // an empty bin: no better guess than the mean
        }
        return new CurveBook.Stage(stage, withPassRate, weights, bounds, solve);
    }

    private static List<CurveBook.Curve> curves(CurveBook book, List<Observation> observations) {
        // arm → stage → bin → size → {correct, count, tokens}
        Map<String, Map<Integer, Map<Integer, Map<Integer, double[]>>>> cells = new TreeMap<>();
        for (Observation o : observations) {
            CurveBook.Stage stage = book.stageFor(o.stage());
            if (stage.samples() != o.stage()) {
                continue; // features from a sample count no stage was learned at
            }
            double[] cell = cells.computeIfAbsent(o.strategy(), k -> new TreeMap<>())
                    .computeIfAbsent(o.stage(), k -> new TreeMap<>())
                    .computeIfAbsent(stage.bin(o.features()), k -> new TreeMap<>())
                    .computeIfAbsent(o.size(), k -> new double[3]);
            cell[0] += o.correct() ? 1 : 0;
            cell[1]++;
            cell[2] += o.tokens();
        }
        List<CurveBook.Curve> curves = new ArrayList<>();
        cells.forEach((arm, byStage) -> byStage.forEach((stage, byBin) -> byBin.forEach((bin, bySize) -> {
            List<Integer> sizes = new ArrayList<>(bySize.keySet());
            double[] acc = new double[sizes.size()];
            double[] weight = new double[sizes.size()];
            for (int i = 0; i < sizes.size(); i++) {
                double[] c = bySize.get(sizes.get(i));
                acc[i] = c[0] / c[1];
                weight[i] = c[1];
            }
            double[] monotone = isotonic(acc, weight);
            List<CurveBook.Point> points = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                double[] c = bySize.get(sizes.get(i));
                points.add(new CurveBook.Point(sizes.get(i), c[2] / c[1], monotone[i], (int) c[1]));
            }
            curves.add(new CurveBook.Curve(arm, stage, bin, points, monotone[monotone.length - 1]));
        })));
        return curves;
    }

    /** Ridge-regularised logistic regression by Newton's method; the intercept (w[0]) is not penalised. */
    static double[] logistic(double[][] x, double[] y) {
        int d = x.length == 0 ? 1 : x[0].length + 1;
        double[] w = new double[d];
        for (int step = 0; step < NEWTON_STEPS; step++) {
            double[] grad = new double[d];
            double[][] hess = new double[d][d];
            for (int i = 0; i < x.length; i++) {
                double[] row = withIntercept(x[i]);
                double p = sigmoid(dot(w, row));
                double v = p * (1 - p);
                for (int a = 0; a < d; a++) {
                    grad[a] += (y[i] - p) * row[a];
                    for (int b = 0; b < d; b++) {
                        hess[a][b] += v * row[a] * row[b];
                    }
                }
            }
            for (int a = 1; a < d; a++) {
                grad[a] -= RIDGE * w[a];
                hess[a][a] += RIDGE;
            }
            hess[0][0] += 1e-9;
            double[] delta = solve(hess, grad);
            double size = 0;
            for (int a = 0; a < d; a++) {
                w[a] += delta[a];
                size = Math.max(size, Math.abs(delta[a]));
            }
            if (size < 1e-10) {
                break;
            }
        }
        return w;
    }

    /** Pool adjacent violators: the non-decreasing sequence closest to {@code values} in weighted squares. */
    static double[] isotonic(double[] values, double[] weights) {
        int n = values.length;
        double[] level = new double[n];
        double[] weight = new double[n];
        int[] span = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            level[blocks] = values[i];
            weight[blocks] = weights[i];
            span[blocks] = 1;
            blocks++;
            while (blocks > 1 && level[blocks - 2] > level[blocks - 1]) {
                double w = weight[blocks - 2] + weight[blocks - 1];
                level[blocks - 2] = (level[blocks - 2] * weight[blocks - 2] + level[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                span[blocks - 2] += span[blocks - 1];
                blocks--;
            }
        }
        double[] out = new double[n];
        int at = 0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < span[b]; k++) {
                out[at++] = level[b];
            }
        }
        return out;
    }

    /** Linear interpolation between order statistics (R's type 7). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0.5;
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[] withIntercept(double[] x) {
        double[] row = new double[x.length + 1];
        row[0] = 1;
        System.arraycopy(x, 0, row, 1, x.length);
        return row;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Gaussian elimination with partial pivoting; the system is small (features + 1). */
    private static double[] solve(double[][] m, double[] v) {
        int n = v.length;
        double[][] a = new double[n][];
        double[] b = v.clone();
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            double tb = b[col];
            b[col] = b[pivot];
            b[pivot] = tb;
            if (Math.abs(a[col][col]) < 1e-12) {
                continue;
            }
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                b[r] -= f * b[col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = Math.abs(a[r][r]) < 1e-12 ? 0 : s / a[r][r];
        }
        return x;
    }
}
