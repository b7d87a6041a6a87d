package dev.verigen.orchestrator.traces;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything a run did, as {@code GET /v1/runs/{id}/trace} shows it: its steps in dispatch order, its candidates as
 * a tree (a continuation, refinement or critique under the candidate it works from; fresh samples at the top),
 * every usage row, and for a layered strategy (archon) its layers.
 *
 * @param totals the sum of {@code usage}
 * @param layers an Archon run's layers in the order they run; empty for every other strategy
 */
public record TraceView(UUID runId, String status, String strategy, Instant createdAt, Instant finishedAt,
                        UUID selectedCandidateId, UsageView totals, List<StepNode> steps, List<CandidateNode> candidates,
                        List<UsageEntry> usage, List<LayerNode> layers) {

    /**
     * One dispatched job.
     *
     * @param pool     the model pool a generation ran on (or a model-backed scorer's pool)
     * @param role     a generation's role (GENERATE, CRITIQUE, REFINE...)
     * @param scorer   a scoring step's scorer
     * @param verifier a verification step's verifier
     * @param reserved what the step holds against the budget (a cancelled step's reservation drops to zero once
     *                 its result or deadline has settled it)
     * @param usage    what its result reported, with the estimated FLOPs; null until a result came
     * @param produced the candidates a generation step created
     * @param judged   the candidates a verification or scoring step was asked to judge
     */
    public record StepNode(UUID id, int seq, String kind, String label, String status, int attempt, String pool,
                           String role, String scorer, String verifier, Reserved reserved, UsageView usage,
                           Error error, Instant createdAt, Instant completedAt, List<UUID> produced,
                           List<UUID> judged) {
    }

    public record Reserved(long tokens, long calls, double flops) {
    }

    public record Error(String code, String detail) {
    }

    /**
     * A candidate with its verdicts and scores, and the candidates that work from it.
     *
     * @param simulated true when a simulator, not a real model, produced the text
     * @param children  candidates whose parent this is, in creation order: step-wise continuations, refinements,
     *                  critiques (role CRITIQUE) and other role outputs
     */
    public record CandidateNode(UUID id, int index, UUID stepId, UUID parentId, String role, String label, String pool,
                                String backend, boolean simulated, boolean complete, String finishReason,
                                long completionTokens, Double logprob, String text, Instant createdAt,
                                List<VerdictEntry> verdicts, List<ScoreEntry> scores, List<CandidateNode> children) {
    }

    public record VerdictEntry(String verifier, String outcome, String extracted, String evidence, UUID stepId,
                               Instant createdAt) {
    }

    public record ScoreEntry(String scorer, double value, UUID stepId, Instant createdAt) {
    }

    /** One applied result's usage row. */
    public record UsageEntry(long id, UUID stepId, String kind, long promptTokens, long completionTokens, long calls,
                             long engineMs, long wallMs, double flops, Instant recordedAt) {

        UsageView view() {
            return new UsageView(promptTokens, completionTokens, calls, engineMs, wallMs, flops);
        }
    }

    /**
     * One Archon layer: which candidates it worked on and which it passed on. Its own jobs' candidates carry the
     * label {@code archon/L<position>/...}; fused and ranked ones have no parent, so only this says where they came
     * from.
     *
     * @param position   where it runs (its jobs' label says {@code L<position>})
     * @param type       its components' type ({@code generator}, {@code fuser}, ...)
     * @param components how many components it has (more than one: an ensemble)
     * @param from       the layers whose output is its input
     * @param status     DONE (its output is settled), RUNNING (its jobs went out; a run that ended meanwhile leaves
     *                   it so) or PENDING
     * @param inputs     the candidates it received, in order; empty while PENDING
     * @param outputs    the candidates it passed on, in order; empty until DONE
     */
    public record LayerNode(int position, String name, String type, int components, List<String> from, String status,
                            List<UUID> inputs, List<UUID> outputs) {
    }
}
