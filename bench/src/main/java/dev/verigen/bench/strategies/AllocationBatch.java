package dev.verigen.bench.strategies;

import dev.verigen.orchestrator.allocation.BatchState;
import dev.verigen.orchestrator.allocation.ComputeOptimal;
import dev.verigen.orchestrator.allocation.Decision;
import dev.verigen.orchestrator.allocation.ItemRun;
import dev.verigen.orchestrator.allocation.Purchase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plays the experiment runner's part in memory: asks the allocator what to buy, runs every purchase (all of one
 * round are in flight together, as the runner would start them), hands the finished runs back, and repeats until the
 * allocator has nothing more to buy. Checks the batch budget on every round, as the runner's reservations would.
 */
final class AllocationBatch {

    /** How a batch ended. */
    record Outcome(Map<String, Decision> decisions, List<ItemRun> runs, long tokens, int rounds,
                   Map<String, Integer> purchasesByArm) {
    }

    private AllocationBatch() {
    }

    /** Runs the batch {@code tasks} under one budget; every purchase runs through {@code runs}. */
    static Outcome run(ComputeOptimal allocator, List<Task> tasks, long totalTokens, AllocationRuns runs) {
        Map<String, Task> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        List<String> ids = List.copyOf(byId.keySet());
        List<ItemRun> finished = new ArrayList<>();
        Map<String, Integer> byArm = new TreeMap<>();
        int rounds = 0;
        while (true) {
            var state = new BatchState(ids, totalTokens, finished, List.of());
            List<Purchase> buy = allocator.next(state);
            if (buy.isEmpty()) {
                break;
            }
            rounds++;
            long reserved = buy.stream().mapToLong(Purchase::maxTokens).sum();
            if (state.spentTokens() + reserved > totalTokens) {
                throw new IllegalStateException("the allocator over-reserved: " + (state.spentTokens() + reserved)
                        + " > " + totalTokens);
            }
            for (Purchase p : buy) {
                ItemRun r = runs.run(p, byId.get(p.itemId()));
                if (r.tokens() > p.maxTokens()) {
                    throw new IllegalStateException("a run overspent its budget: " + p.key());
                }
                finished.add(r);
                byArm.merge(p.arm() + (p.tag().equals("r0") ? " (pilot)" : ""), 1, Integer::sum);
            }
        }
        var end = new BatchState(ids, totalTokens, finished, List.of());
        return new Outcome(allocator.decisions(end), List.copyOf(finished), end.spentTokens(), rounds, byArm);
    }
}
