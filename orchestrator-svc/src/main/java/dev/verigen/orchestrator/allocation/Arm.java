package dev.verigen.orchestrator.allocation;

import java.util.Map;

/**
 * One way the allocator may spend on an item: the voting arm (best_of_n or self_consistency samples, pooled over
 * every purchase of the item), a search arm (one run of a step-wise search whose own answer is final), or a
 * verifying arm (one best_of_n run whose solutions are each judged {@code verifications} times by a generative
 * verifier; its own answer, the solution the judges passed most often, is final). Voting and verifying arms are the
 * two sides of "when to solve, when to verify": the allocator buys more solutions or solutions with verifications,
 * whichever its curves say gains more per token.
 *
 * @param name          the arm's key in the curve book and in {@link ItemRun#strategy()}
 * @param strategy      the pipeline strategy it runs
 * @param n             a search's size (particles, beams × expansions), a verifying arm's solutions; the voting arm's
 *                      purchases set their own n
 * @param options       the strategy's options, normalised as the orchestrator stores them
 * @param maxTokens     the budget one run gets; 0 for the voting arm, whose budget is its samples' upper bound
 * @param rewardModel   the scorer its runs use instead of the allocation's ({@code judge:<pool>:k=<verifications>}
 *                      for a verifying arm); null: the allocation's
 * @param verifications judge verdicts per solution of a verifying arm; 0 for every other arm
 */
public record Arm(String name, String strategy, int n, Map<String, Object> options, long maxTokens,
                  boolean voting, String rewardModel, int verifications) {

    public Arm {
        // normalised options may hold nulls (e.g. best_of_n's adaptive: off), which Map.copyOf refuses
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    public Arm(String name, String strategy, int n, Map<String, Object> options, long maxTokens, boolean voting) {
        this(name, strategy, n, options, maxTokens, voting, null, 0);
    }

    /** Buys solutions with judge verifications: its run's answer is final, as a search's is. */
    public boolean verifying() {
        return verifications > 0;
    }

    /** The scorer this arm's runs use, given the allocation's. */
    public String rewardModel(String allocationRewardModel) {
        return rewardModel != null ? rewardModel : allocationRewardModel;
    }
}
