package dev.verigen.orchestrator.experiments.metrics;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What one arm (pipeline × budget) achieved over its runs. Nothing here is NaN: a metric without data is null
 * (or an empty curve), so the JSON form and the CSV say "unknown" rather than a number.
 *
 * @param runs           runs of the arm, every status included
 * @param items          distinct items among them
 * @param statuses       run count per final status, in first-seen order
 * @param accuracy       runs whose selected answer was correct / runs; failed and unanswered runs count as wrong
 * @param answered       runs that selected an answer at all / runs
 * @param flopsTotal     summed estimated FLOPs; null when no run knew its FLOPs
 * @param passAtK        coverage: pass@k on k = 1, 2, 4, ..., each run's n
 * @param majorityAtK    expected accuracy of a majority vote over k of a run's samples, same k
 * @param bestOfNAtK     expected accuracy of picking the highest reward-model score of k samples; null when no
 *                       run of the arm has scores
 * @param coverageFit    the Large-Language-Monkeys power law fitted to {@code passAtK}; null with too few points
 * @param verifier       verifier verdicts against the references; null when the pipeline gave none
 * @param itemBreakdown  per-item results within this arm
 * @param scorer         the reward model taken as a verifier (score ≥ 0.5 passes) against the references: what a
 *                       judge or RM would let through with no reference at all; null when nothing was scored
 * @param agreement      agreement taken as a verifier (a sample passes when its answer is its run's most frequent):
 *                       self-consistency's implicit verdict; null when no sample stated an answer
 * @param byTemperature  coverage per sampling temperature, when the arm's samples were drawn at several
 */
public record ArmMetrics(String arm, int runs, int items, Map<String, Integer> statuses, double accuracy,
                         double answered, double tokensMean, long tokensTotal, BigDecimal flopsTotal,
                         long callsTotal, List<AtK> passAtK, List<AtK> majorityAtK, List<AtK> bestOfNAtK,
                         CoverageFit coverageFit, VerifierRates verifier, List<ItemMetrics> itemBreakdown,
                         VerifierRates scorer, VerifierRates agreement, List<TemperatureCoverage> byTemperature) {

    public ArmMetrics(String arm, int runs, int items, Map<String, Integer> statuses, double accuracy,
                      double answered, double tokensMean, long tokensTotal, BigDecimal flopsTotal, long callsTotal,
                      List<AtK> passAtK, List<AtK> majorityAtK, List<AtK> bestOfNAtK, CoverageFit coverageFit,
                      VerifierRates verifier, List<ItemMetrics> itemBreakdown) {
        this(arm, runs, items, statuses, accuracy, answered, tokensMean, tokensTotal, flopsTotal, callsTotal, passAtK,
                majorityAtK, bestOfNAtK, coverageFit, verifier, itemBreakdown, null, null, List.of());
    }

    /**
     * The samples of one temperature: how many, how often right, and pass@k over each run's samples at it.
     *
     * @param samples  samples drawn at this temperature, over all runs
     * @param accuracy the share of them that is right (pass@1)
     * @param distinct the mean number of distinct answers per run at this temperature (diversity)
     */
    public record TemperatureCoverage(double temperature, int samples, double accuracy, double distinct,
                                      List<AtK> passAtK) {
    }

    /** pass@k, or null when no run of the arm drew k samples. */
    public Double passAt(int k) {
        return at(passAtK, k);
    }

    /** majority@k, or null when no run of the arm drew k samples. */
    public Double majorityAt(int k) {
        return at(majorityAtK, k);
    }

    /** best-of-N@k, or null when no scored run of the arm drew k samples. */
    public Double bestOfNAt(int k) {
        return at(bestOfNAtK, k);
    }

    /** The largest k the arm reports, 0 when its runs drew no samples. */
    public int maxK() {
        return passAtK.isEmpty() ? 0 : passAtK.getLast().k();
    }

    private static Double at(List<AtK> curve, int k) {
        if (curve != null) {
            for (AtK p : curve) {
                if (p.k() == k) {
                    return p.value();
                }
            }
        }
        return null;
    }
}
