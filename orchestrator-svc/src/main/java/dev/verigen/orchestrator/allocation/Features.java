package dev.verigen.orchestrator.allocation;

import java.util.List;

/**
 * What an item's voting samples say about its difficulty, the inputs of the learned difficulty score (Snell et al.
 * bin prompts by difficulty; here it is estimated from a cheap pilot and re-estimated as samples come in).
 *
 * @param samples         voting samples seen (answers or not)
 * @param agreement       share of the samples that state the leading answer
 * @param leaderShare     the leading answer's share of the vote mass
 * @param meanScore       mean reward score of all scored samples (0.5 when none is scored: no information)
 * @param maxScore        highest reward score (0.5 when none)
 * @param leaderMeanScore mean reward score of the leading answer's samples (0.5 when none)
 * @param passRate        share of verified samples that passed; null when no sample was verified
 */
public record Features(int samples, double agreement, double leaderShare, double meanScore, double maxScore,
                       double leaderMeanScore, Double passRate) {

    /** The names of {@link #vector} entries, in order (the verifier's pass rate last, when used). */
    public static final List<String> NAMES = List.of("agreement", "leaderShare", "meanScore", "maxScore",
            "leaderMeanScore", "passRate");

    public static Features of(List<Sample> samples, double exponent) {
        PooledVote vote = PooledVote.of(samples, exponent);
        int n = samples.size();
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int scored = 0;
        int verified = 0;
        int passed = 0;
        for (Sample s : samples) {
            if (s.score() != null) {
                sum += s.score();
                max = Math.max(max, s.score());
                scored++;
            }
            if (s.verified() != null) {
                verified++;
                passed += s.verified() ? 1 : 0;
            }
        }
        double mean = scored == 0 ? 0.5 : sum / scored;
        double top = scored == 0 ? 0.5 : max;
        if (vote.isEmpty() || n == 0) {
            return new Features(n, 0, 0, mean, top, 0.5, verified == 0 ? null : passed / (double) verified);
        }
        PooledVote.Group lead = vote.groups().getFirst();
        double total = vote.totalMass();
        double leaderMean = Double.isNaN(lead.meanScore()) ? 0.5 : lead.meanScore();
        return new Features(n, lead.count() / (double) n, total > 0 ? lead.mass() / total : 0, mean, top, leaderMean,
                verified == 0 ? null : passed / (double) verified);
    }

    /** The regression inputs; the pass rate is included when {@code withPassRate} (0 when unknown). */
    public double[] vector(boolean withPassRate) {
        double[] v = new double[withPassRate ? 6 : 5];
        v[0] = agreement;
        v[1] = leaderShare;
        v[2] = meanScore;
        v[3] = maxScore;
        v[4] = leaderMeanScore;
        if (withPassRate) {
            v[5] = passRate == null ? 0 : passRate;
        }
        return v;
    }
}
