package dev.verigen.orchestrator.allocation;

import dev.verigen.orchestrator.strategies.PipelineSpec;
import java.util.Objects;

/**
 * One run to start: an ordinary pipeline for one item, with its own token budget. The runner starts it with
 * {@code budget.maxTokens = maxTokens} ({@code budget.maxFlops} when the allocation counts eFLOPs,
 * {@link Options.BudgetUnit}: then {@code maxTokens} and {@code expectedTokens} are eFLOPs), so the run can never
 * spend more than this.
 *
 * @param tag      unique per item, in purchase order ({@code r0}, {@code r1}, ...); also seeds the pipeline
 * @param arm      the arm it is bought as (what {@link ItemRun#strategy()} must say when it has finished)
 * @param pipeline normalised, seed included: it runs as it is
 * @param expectedTokens what the curve book expects it to spend (planning), never above {@code maxTokens}
 */
public record Purchase(String itemId, String tag, String arm, PipelineSpec pipeline, long maxTokens,
                       long expectedTokens) {

    public Purchase {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(pipeline, "pipeline");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
    }

    /** The key of a purchase within a batch: item and tag. */
    public String key() {
        return itemId + "/" + tag;
    }
}
