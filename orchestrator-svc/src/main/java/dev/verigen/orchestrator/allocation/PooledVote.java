package dev.verigen.orchestrator.allocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final-answer rule for an item's voting samples, pooled over all its voting runs (pilot included): a
 * reward-weighted vote where each sample weighs {@code score^exponent}. The exponent is learned with the curve book
 * (1 is the usual weighted vote; a larger one trusts the reward model's confident samples more). A verifier, when
 * there is one, filters first: only samples that passed vote if any did, else those it did not refute. Without any
 * score it is a majority vote. Ties go to the answer seen first, so the same samples always give the same answer.
 *
 * @param groups heaviest first
 * @param voters samples that stated an answer (before the verifier's filter)
 */
public record PooledVote(List<Group> groups, int voters, int samples) {

    /** One answer: how many samples said it, their vote mass, and their reward scores summed (for features). */
    public record Group(String answer, int count, double mass, double scoreSum, int scored, int first) {
        double meanScore() {
            return scored == 0 ? Double.NaN : scoreSum / scored;
        }
    }

    public static PooledVote of(List<Sample> samples, double exponent) {
        List<Sample> eligible = samples.stream().filter(s -> s.answer() != null && s.complete()).toList();
        List<Sample> passed = eligible.stream().filter(s -> Boolean.TRUE.equals(s.verified())).toList();
        List<Sample> unrefuted = eligible.stream().filter(s -> !Boolean.FALSE.equals(s.verified())).toList();
        List<Sample> pool = !passed.isEmpty() ? passed : !unrefuted.isEmpty() ? unrefuted : eligible;
        boolean weighted = pool.stream().anyMatch(s -> s.score() != null);
        Map<String, double[]> tally = new LinkedHashMap<>(); // count, mass, score sum, scored, first index
        for (int i = 0; i < pool.size(); i++) {
            Sample s = pool.get(i);
            double[] t = tally.computeIfAbsent(s.answer(), k -> new double[]{0, 0, 0, 0, 0});
            if (t[0] == 0) {
                t[4] = i;
            }
            t[0]++;
            t[1] += weighted ? weight(s.score(), exponent) : 1;
            if (s.score() != null) {
                t[2] += s.score();
                t[3]++;
            }
        }
        List<Group> groups = new ArrayList<>();
        tally.forEach((answer, t) -> groups.add(new Group(answer, (int) t[0], t[1], t[2], (int) t[3], (int) t[4])));
        groups.sort((a, b) -> a.mass() != b.mass() ? Double.compare(b.mass(), a.mass())
                : Integer.compare(a.first(), b.first()));
        return new PooledVote(List.copyOf(groups), eligible.size(), samples.size());
    }

    static double weight(Double score, double exponent) {
        if (score == null || !(score > 0)) {
            return 0;
        }
        return Math.pow(score, exponent);
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    public String answer() {
        return isEmpty() ? null : groups.getFirst().answer();
    }

    double totalMass() {
        return groups.stream().mapToDouble(Group::mass).sum();
    }
}
