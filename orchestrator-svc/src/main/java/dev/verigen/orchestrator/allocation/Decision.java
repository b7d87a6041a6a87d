package dev.verigen.orchestrator.allocation;

/**
 * Where one item stands: its answer (or an abstention) and why the allocator stopped, or is still, spending on it.
 *
 * @param answer            the final answer; null when abstaining or when no run stated one
 * @param reason            see {@link Reason}
 * @param bin               difficulty bin, 1 (easiest) to {@code bins} (hardest); 0 before the pilot finished
 * @param samples           voting samples the item has
 * @param expectedAccuracy  the curve book's expected accuracy (precision) of the answer, after the ceiling
 * @param tokens            what the item's finished runs spent
 */
public record Decision(String itemId, String answer, boolean abstained, Reason reason, int bin, int samples,
                       double expectedAccuracy, long tokens) {

    public enum Reason {
        /** a run is in flight or the next purchase is waiting for room in the budget */
        PENDING,
        /** confident enough: the pilot (or what followed) agreed with high reward scores */
        SETTLED,
        /** the curves promise nothing more: more compute buys nothing worth having, at a low accuracy */
        UNSOLVABLE,
        /** the curves promise nothing more at a good accuracy */
        SATURATED,
        /** the verifier's precision ceiling is reached: more samples add false positives, not accuracy */
        CEILING,
        /**
         * with an imperfect verifier, a new sample is more likely to add a false positive than a true positive (from
         * the item's pass rate and the verifier's measured error rates): the best N for it is the one it has
         */
        FALSE_POSITIVES,
        /** more would help, but the batch budget (or the item's cap) went elsewhere */
        BUDGET,
        /** a step-wise search answered: its answer is final */
        SEARCHED,
        /**
         * a verifying arm answered: solutions each judged by a generative verifier, the one passed most often final
         * (bought where the curves said verifying gains more per token than more solutions)
         */
        VERIFIED
    }
}
