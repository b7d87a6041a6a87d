package dev.verigen.orchestrator.allocation;

import java.util.Map;

/**
 * One way the allocator may spend on an item: the voting arm (best_of_n or self_consistency samples, pooled over
 * every purchase of the item) or a search arm (one run of a step-wise search whose own answer is final).
 *
 * @param name      the arm's key in the curve book and in {@link ItemRun#strategy()}
 * @param strategy  the pipeline strategy it runs
 * @param n         a search's size (particles, beams × expansions); the voting arm's purchases set their own n
 * @param options   the strategy's options, normalised as the orchestrator stores them
 * @param maxTokens the budget one run gets; 0 for the voting arm, whose budget is its samples' upper bound
 */
public record Arm(String name, String strategy, int n, Map<String, Object> options, long maxTokens,
                  boolean voting) {

    public Arm {
        // normalised options may hold nulls (e.g. best_of_n's adaptive: off), which Map.copyOf refuses
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }
}
