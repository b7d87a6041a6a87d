package dev.verigen.orchestrator.strategies;

import java.util.List;

/** A pure decision function: {@code decide(state, event) -> actions}. */
public interface Strategy {

    /** The name used in pipeline specs, e.g. {@code best_of_n}. */
    String name();

    /**
     * Checks the strategy's {@code pipeline.options} and returns them normalised (every default filled in), as a
     * record or map that {@link PipelineSpec#options(Class)} reads back. Problems go to {@code options} with their
     * field paths; a strategy without options refuses any.
     */
    default Object options(StrategyOptions options) {
        options.onlyKnown(java.util.Set.of());
        return java.util.Map.of();
    }

    List<Action> decide(RunState state, RunEvent event);
}
