package dev.verigen.orchestrator.allocation;

import java.util.List;
import java.util.Objects;

/**
 * A finished run bought for one item: everything the allocator keeps of it. Rebuilt from the persisted run after a
 * restart, so the allocator's state never depends on anything else.
 *
 * @param tag         the purchase's tag ({@code r0} is the pilot, then {@code r1}, {@code r2}, ... in purchase order)
 * @param strategy    the arm it was bought as ({@link Arm#name()}), not the pipeline's strategy name
 * @param tokens      what the run really spent in the allocation's budget unit: tokens (prompt and completion, as
 *                    budgets count them), or its eFLOPs ({@link Options.BudgetUnit})
 * @param samples     its complete answer candidates (for step-wise search: the finished particles)
 * @param answer      the run's own final answer (normalised), null when it ended without one
 * @param answerScore the score the run chose it by, when it had one
 */
public record ItemRun(String itemId, String tag, String strategy, long tokens, List<Sample> samples, String answer,
                      Double answerScore) {

    public ItemRun {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(strategy, "strategy");
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
