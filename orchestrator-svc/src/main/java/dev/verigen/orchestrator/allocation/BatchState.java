package dev.verigen.orchestrator.allocation;

import java.util.List;
import java.util.Objects;

/**
 * What the allocator decides from, and nothing else: the items, the batch's token budget, the runs that finished
 * and the purchases still in flight. All of it can be rebuilt from persisted runs after a restart.
 *
 * @param itemIds     in the batch's order, which also breaks every tie
 * @param totalTokens the batch's budget, in the allocation's budget unit (tokens, or eFLOPs: {@link Options.BudgetUnit}):
 *                    finished runs' spend plus in-flight purchases' {@code maxTokens}
 *                    never exceed it
 * @param inFlight    purchases started and not finished (their budgets are still reserved)
 */
public record BatchState(List<String> itemIds, long totalTokens, List<ItemRun> finished, List<Purchase> inFlight) {

    public BatchState {
        Objects.requireNonNull(itemIds, "itemIds");
        itemIds = List.copyOf(itemIds);
        finished = finished == null ? List.of() : List.copyOf(finished);
        inFlight = inFlight == null ? List.of() : List.copyOf(inFlight);
        if (totalTokens < 0) {
            throw new IllegalArgumentException("totalTokens must not be negative");
        }
    }

    public long spentTokens() {
        return finished.stream().mapToLong(ItemRun::tokens).sum();
    }

    public long reservedTokens() {
        return inFlight.stream().mapToLong(Purchase::maxTokens).sum();
    }
}
