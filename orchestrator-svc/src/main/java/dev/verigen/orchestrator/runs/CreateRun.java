package dev.verigen.orchestrator.runs;

import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;

/**
 * A valid request to start a run.
 *
 * @param maxTokens cap on generated and prompt tokens of the run; null means no cap
 * @param maxCalls  cap on model calls of the run; null means no cap
 * @param maxFlops  cap on the run's estimated compute in FLOPs; null means no cap
 */
public record CreateRun(PipelineSpec spec, RunInput input, Long maxTokens, Long maxCalls, Double maxFlops) {

    public CreateRun(PipelineSpec spec, RunInput input, Long maxTokens, Long maxCalls) {
        this(spec, input, maxTokens, maxCalls, null);
    }
}
