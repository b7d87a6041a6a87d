package dev.verigen.orchestrator.allocation;

import dev.verigen.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Learned test-time scaling curves for one (model pool, suite): per arm, stage and difficulty bin, the expected
 * accuracy against size (samples, or a search's particles/beams) and tokens. Plain records, so it serialises to JSON
 * as it is and the runner can store it per (pool, suite) and reuse it.
 *
 * <p>Difficulty is estimated afresh whenever an item's voting samples reach a stage (the pilot's size, then each
 * doubling): a logistic model of "the pooled vote is already right" over {@link Features}, learned per stage on
 * training items; difficulty = 1 − that probability, and the bins are its quantiles on the training items, so each
 * bin holds about as many training items (Snell et al.'s five levels, but estimated, not oracle).
 *
 * @param source       {@code prior} (built in) or {@code fitted}
 * @param voteExponent the pooled vote's weight exponent ({@link PooledVote})
 * @param sampleTokens expected tokens per voting sample (prompt share included)
 * @param runTokens    expected extra tokens per voting run (its prompt), on top of its samples
 * @param verifier     the verifier's errors as measured on graded samples (training items); null when unmeasured
 */
public record CurveBook(String pool, String suite, String source, int bins, double voteExponent, double sampleTokens,
                        double runTokens, List<Stage> stages, List<Curve> curves, VerifierErrors verifier) {

    public CurveBook(String pool, String suite, String source, int bins, double voteExponent, double sampleTokens,
                     double runTokens, List<Stage> stages, List<Curve> curves) {
        this(pool, suite, source, bins, voteExponent, sampleTokens, runTokens, stages, curves, null);
    }

    /**
     * How often a verifier erred on graded samples: false positives among the wrong ones, false negatives among the
     * right ones.
     */
    public record VerifierErrors(double falsePositiveRate, double falseNegativeRate, long samples) {

        /** The rates of verdicts ({@code pass}) against the truth ({@code right}); null without verdicts. */
        public static VerifierErrors of(List<Boolean> pass, List<Boolean> right) {
            long tp = 0;
            long fp = 0;
            long tn = 0;
            long fn = 0;
            for (int i = 0; i < pass.size(); i++) {
                if (pass.get(i) == null) {
                    continue;
                }
                boolean ok = Boolean.TRUE.equals(right.get(i));
                if (pass.get(i)) {
                    tp += ok ? 1 : 0;
                    fp += ok ? 0 : 1;
                } else {
                    fn += ok ? 1 : 0;
                    tn += ok ? 0 : 1;
                }
            }
            long n = tp + fp + tn + fn;
            if (n == 0) {
                return null;
            }
            return new VerifierErrors(fp + tn == 0 ? 0 : (double) fp / (fp + tn),
                    fn + tp == 0 ? 0 : (double) fn / (fn + tp), n);
        }
    }

    /** This book with the verifier's measured errors. */
    public CurveBook withVerifier(VerifierErrors errors) {
        return new CurveBook(pool, suite, source, bins, voteExponent, sampleTokens, runTokens, stages, curves, errors);
    }

    public CurveBook {
        stages = stages.stream().sorted(Comparator.comparingInt(Stage::samples)).toList();
        curves = List.copyOf(curves);
        if (bins < 1 || stages.isEmpty()) {
            throw new IllegalArgumentException("a curve book needs bins and at least one stage");
        }
    }

    /**
     * The difficulty estimate at a number of voting samples.
     *
     * @param weights     intercept first, then one per feature ({@link Features#vector}): P(right) = σ(w·x)
     * @param bounds      the {@code bins − 1} ascending difficulty cut points
     * @param solveRates  per bin (easiest first), the training items' mean per-sample solve rate
     */
    public record Stage(int samples, boolean withPassRate, List<Double> weights, List<Double> bounds,
                        List<Double> solveRates) {

        public double confidence(Features f) {
            double[] x = f.vector(withPassRate);
            double z = weights.getFirst();
            for (int i = 0; i < x.length && i + 1 < weights.size(); i++) {
                z += weights.get(i + 1) * x[i];
            }
            return 1 / (1 + Math.exp(-z));
        }

        /** 1 (easiest) to bins (hardest). */
        public int bin(Features f) {
            double difficulty = 1 - confidence(f);
            int bin = 1;
            for (double bound : bounds) {
                if (difficulty > bound) {
                    bin++;
                }
            }
            return bin;
        }

        public double solveRate(int bin) {
            return solveRates.isEmpty() ? 0.5 : solveRates.get(Math.max(1, Math.min(bin, solveRates.size())) - 1);
        }
    }

    /** @param observations how many training observations the point averages */
    public record Point(int size, double tokens, double accuracy, int observations) {
    }

    /**
     * @param points  ascending size, accuracy non-decreasing (fitted monotone)
     * @param ceiling the accuracy the arm saturates at in this bin (the reward model's or verifier's limit)
     */
    public record Curve(String strategy, int stage, int bin, List<Point> points, double ceiling) {

        public Curve {
            points = points.stream().sorted(Comparator.comparingInt(Point::size)).toList();
            if (points.isEmpty()) {
                throw new IllegalArgumentException("a curve needs points");
            }
        }

        /** Expected accuracy at a size: linear in log size between points, flat beyond them, never above the ceiling. */
        public double accuracy(double size) {
            Point first = points.getFirst();
            Point last = points.getLast();
            double a;
            if (size <= first.size()) {
                a = first.accuracy();
            } else if (size >= last.size()) {
                a = last.accuracy();
            } else {
                a = last.accuracy();
                for (int i = 1; i < points.size(); i++) {
                    Point lo = points.get(i - 1);
                    Point hi = points.get(i);
                    if (size <= hi.size()) {
                        double t = Math.log(size / lo.size()) / Math.log((double) hi.size() / lo.size());
                        a = lo.accuracy() + t * (hi.accuracy() - lo.accuracy());
                        break;
                    }
                }
            }
            return Math.min(a, ceiling);
        }

        public Optional<Point> at(int size) {
            return points.stream().filter(p -> p.size() == size).findFirst();
        }
    }

    /** The stage whose difficulty model applies at this many samples: the largest not above it (else the first). */
    public Stage stageFor(int samples) {
        Stage chosen = stages.getFirst();
        for (Stage s : stages) {
            if (s.samples() <= samples) {
                chosen = s;
            }
        }
        return chosen;
    }

    public Optional<Curve> curve(String strategy, int stage, int bin) {
        return curves.stream().filter(c -> c.strategy().equals(strategy) && c.stage() == stage && c.bin() == bin)
                .findFirst();
    }

    public String toJson() {
        return Json.writeString(this);
    }

    public static CurveBook fromJson(String json) {
        return Json.read(json.getBytes(StandardCharsets.UTF_8), CurveBook.class);
    }

    /** Learns a curve book from training observations (see {@link CurveFit}). */
    public static CurveBook fit(String pool, String suite, String votingArm, double voteExponent, int bins,
                                List<Observation> observations) {
        return CurveFit.fit(pool, suite, votingArm, voteExponent, bins, observations);
    }

    /**
     * What to assume before anything is learned: voting only (no search arm has a curve, so none is bought), a
     * difficulty score that trusts agreement and the leader's reward score, and saturating power-law curves whose
     * error shrinks faster for easy bins: error(n) = error(stage) · (stage/n)^β with β from 0.9 (easiest) to 0.1.
     */
    public static CurveBook prior(String pool, String suite, String votingArm, int pilotSamples, int maxSamples,
                                  int bins, double sampleTokens) {
        Objects.requireNonNull(votingArm, "votingArm");
        List<Integer> rungs = new ArrayList<>();
        for (int n = pilotSamples; n <= maxSamples; n *= 2) {
            rungs.add(n);
        }
        List<Stage> stages = new ArrayList<>();
        List<Curve> curves = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        List<Double> solve = new ArrayList<>();
        for (int b = 1; b <= bins; b++) {
            if (b < bins) {
                bounds.add(b / (double) bins);
            }
            solve.add(1 - (b - 0.5) / bins);
        }
        for (int stage : rungs.subList(0, Math.max(1, rungs.size() - 1))) {
            stages.add(new Stage(stage, false, List.of(-3.0, 3.0, 0.0, 0.0, 0.0, 3.0), bounds, solve));
            for (int b = 1; b <= bins; b++) {
                double start = 1 - (b - 0.5) / bins;
                double beta = 0.1 + 0.8 * start;
                List<Point> points = new ArrayList<>();
                for (int n : rungs) {
                    if (n >= stage) {
                        double acc = 1 - (1 - start) * Math.pow((double) stage / n, beta);
                        points.add(new Point(n, n * sampleTokens, Math.min(acc, 0.99), 0));
                    }
                }
                curves.add(new Curve(votingArm, stage, b, points, 0.99));
            }
        }
        return new CurveBook(pool, suite, "prior", bins, 1.0, sampleTokens, 0, stages, curves);
    }
}
