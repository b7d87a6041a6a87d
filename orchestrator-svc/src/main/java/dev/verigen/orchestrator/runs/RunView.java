package dev.verigen.orchestrator.runs;

import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.traces.UsageView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run as {@code GET /v1/runs/{id}} shows it.
 *
 * @param traceId the W3C trace id of the run's distributed trace (every hop of the run, and every log line about it,
 *                carries it); null for runs created before tracing was added
 */
public record RunView(UUID id, String status, Instant createdAt, Instant finishedAt, PipelineSpec pipeline,
                      RunInput input, Result result, UsageView usage, BudgetView budget, List<CandidateView> candidates,
                      Error error, String traceId) {

    /** The selected candidate and why it was chosen. */
    public record Result(UUID candidateId, String text, String extracted, String verdict, Double score,
                         String reason) {
    }

    /**
     * The run's own budget; FLOPs are estimated (see {@code ComputeEstimator}). Caps are null when absent. Used never
     * exceeds a cap; {@code overrun*} is what the run's jobs spent beyond it (late results, too-low cost bounds).
     */
    public record BudgetView(Long maxTokens, Long maxCalls, Double maxFlops, long usedTokens, long usedCalls,
                             double usedFlops, long reservedTokens, long reservedCalls, double reservedFlops,
                             long overrunTokens, long overrunCalls, double overrunFlops) {
    }

    /**
     * @param simulated true when a simulator, not a real model, produced the text
     */
    public record CandidateView(UUID id, int index, String text, String extracted, String verdict, String evidence,
                                Double score, long completionTokens, String finishReason, String pool,
                                String backend, boolean simulated) {
    }

    public record Error(String code, String detail) {
    }
}
