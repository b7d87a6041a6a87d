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
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (GradedSample s : samples) {
            if (s.verifierPass() == null) {
                continue;
            }
            if (s.verifierPass()) {
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
