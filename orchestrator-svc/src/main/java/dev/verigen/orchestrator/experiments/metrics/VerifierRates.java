package dev.verigen.orchestrator.experiments.metrics;

/**
 * How the pipeline's verifier judged samples whose truth the reference settles. Positive = verifier PASS,
 * truth = the sample is correct. Rates are null when their denominator is empty, never NaN.
 *
 * @param falsePositiveRate FP / (FP + TN): wrong samples the verifier let through
 * @param falseNegativeRate FN / (FN + TP): right samples the verifier rejected
 * @param precision         TP / (TP + FP): how far a PASS can be trusted
 */
public record VerifierRates(long truePositives, long falsePositives, long trueNegatives, long falseNegatives,
                            Double falsePositiveRate, Double falseNegativeRate, Double precision) {

    /** The rates over every sample with a verdict, or null when none has one. */
    public static VerifierRates of(Iterable<GradedSample> samples) {
        return of(samples, GradedSample::verifierPass);
    }

    /**
     * The reward model as a verifier: a sample passes when its score is at least {@code threshold} (0.5: a judge's
     * majority says correct, an outcome RM thinks it more likely right than wrong); null when nothing was scored.
     */
    public static VerifierRates ofScores(Iterable<GradedSample> samples, double threshold) {
        return of(samples, s -> s.score() == null || s.score().isNaN() ? null : s.score() >= threshold);
    }

    /** The rates of any verdict a sample is given (null: none). */
    public static VerifierRates of(Iterable<GradedSample> samples,
                                   java.util.function.Function<GradedSample, Boolean> verdict) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (GradedSample s : samples) {
            Boolean pass = verdict.apply(s);
            if (pass == null) {
                continue;
            }
            if (pass) {
                if (s.correct()) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (s.correct()) {
                fn++;
            } else {
                tn++;
            }
        }
        if (tp + fp + tn + fn == 0) {
            return null;
        }
        return new VerifierRates(tp, fp, tn, fn, ratio(fp, fp + tn), ratio(fn, fn + tp), ratio(tp, tp + fp));
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
