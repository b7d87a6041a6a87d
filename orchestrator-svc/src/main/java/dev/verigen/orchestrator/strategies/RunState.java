package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a strategy may look at, rebuilt from PostgreSQL before each decision. Strategies never see
 * Kafka, the database or a clock: the same state and event always give the same decision.
 *
 * @param memo what the strategy asked to remember ({@link Action.Remember}); null until it does
 */
public record RunState(UUID runId, PipelineSpec spec, RunInput input, Budget budget, List<Step> steps,
                       List<Candidate> candidates, Map<String, Object> memo) {

    public RunState {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(budget, "budget");
        steps = List.copyOf(steps);
        candidates = List.copyOf(candidates);
    }

    public RunState(UUID runId, PipelineSpec spec, RunInput input, Budget budget, List<Step> steps,
                    List<Candidate> candidates) {
        this(runId, spec, input, budget, steps, candidates, null);
    }

    public long pendingSteps() {
        return steps.stream().filter(s -> s.status() == Step.Status.PENDING).count();
    }

    /** The memo as the strategy's record type, or empty before the strategy remembered anything. */
    public <T> Optional<T> memo(Class<T> type) {
        return memo == null ? Optional.empty() : Optional.of(Json.convert(memo, type));
    }

    public Optional<Candidate> candidate(UUID id) {
        return candidates.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public List<Candidate> candidates(List<UUID> ids) {
        return ids.stream().map(this::candidate).flatMap(Optional::stream).toList();
    }

    /**
     * Candidates that are answers to the task (not critiques, rankings or judge outputs, nor snapshots of samples
     * still running), in order.
     */
    public List<Candidate> answers() {
        return candidates.stream().filter(c -> c.isAnswer() && !c.isSnapshot()).toList();
    }

    /** Snapshots of running samples ({@link RunEvent.Progressed}), in order. */
    public List<Candidate> snapshots() {
        return candidates.stream().filter(Candidate::isSnapshot).toList();
    }

    /**
     * @param label   the label the step was dispatched with
     * @param attempt how many times its job was sent (a lost job is sent again with the next attempt)
     */
    public record Step(UUID id, StepKind kind, Status status, String errorCode, String errorDetail, String label,
                       int attempt) {

        public Step(UUID id, StepKind kind, Status status, String errorCode, String errorDetail) {
            this(id, kind, status, errorCode, errorDetail, "", 1);
        }

        /** CANCELLED: the strategy stopped waiting for it; its result is settled but never decided on. */
        public enum Status { PENDING, DONE, FAILED, CANCELLED }
    }

    /**
     * A candidate with the judgement of the run's own verifier and reward model, where they have answered.
     *
     * @param text     the whole text (for a step-wise continuation: the parent's text and the new step)
     * @param score    the run's reward model's score
     * @param scores   every scorer's score, by scorer name (the run's reward model included)
     * @param parentId the candidate this one continues, critiques or refines
     * @param complete false for a partial solution that step-wise search may still extend
     */
    public record Candidate(UUID id, int index, String text, Verdict.Outcome verdict, String extracted, Double score,
                            Map<String, Double> scores, UUID parentId, String label, Role role, String pool,
                            boolean complete, String finishReason, long completionTokens, Double logprob) {

        public Candidate {
            scores = scores == null ? Map.of() : Map.copyOf(scores);
            label = label == null ? "" : label;
            role = role == null ? Role.GENERATE : role;
        }

        public Candidate(UUID id, int index, String text, Verdict.Outcome verdict, String extracted, Double score) {
            this(id, index, text, verdict, extracted, score, Map.of(), null, "",
                    Role.GENERATE, null, true, "stop", 0, null);
        }

        /** The finish reason of a snapshot: a running sample's text so far. */
        public static final String PARTIAL = "partial";

        /** A running sample's text so far, recorded from its job's progress; never an answer. */
        public boolean isSnapshot() {
            return PARTIAL.equals(finishReason);
        }

        /** Answers are what generation, fusion and refinement produce; critiques and judgements are not. */
        public boolean isAnswer() {
            return role == Role.GENERATE || role == Role.FUSE || role == Role.REFINE;
        }

        public Double scoreBy(String scorer) {
            return scorer == null ? score : scores.get(scorer);
        }
    }

    /**
     * The run's budget as it stands: what is spent, what is held for jobs in flight, and the caps
     * (null = no cap). FLOPs are estimated from each pool's model size by {@code compute} (see {@link Costs}).
     * A tenant's own budget, when it has one, is checked when a job is dispatched; it is not folded in here.
     *
     * @param compute prices model work in FLOPs; bound to the run's model, so a null pool means the run's model
     */
    public record Budget(Long maxTokens, Long maxCalls, long usedTokens, long usedCalls, long reservedTokens,
                         long reservedCalls, Double maxFlops, double usedFlops, double reservedFlops,
                         ComputeEstimator compute) {

        public static final Budget UNLIMITED = new Budget(null, null, 0, 0, 0, 0);

        public Budget {
            compute = compute == null ? ComputeEstimator.DEFAULTS : compute;
        }

        public Budget(Long maxTokens, Long maxCalls, long usedTokens, long usedCalls, long reservedTokens,
                      long reservedCalls) {
            this(maxTokens, maxCalls, usedTokens, usedCalls, reservedTokens, reservedCalls, null, 0, 0);
        }

        public Budget(Long maxTokens, Long maxCalls, long usedTokens, long usedCalls, long reservedTokens,
                      long reservedCalls, Double maxFlops, double usedFlops, double reservedFlops) {
            this(maxTokens, maxCalls, usedTokens, usedCalls, reservedTokens, reservedCalls, maxFlops, usedFlops,
                    reservedFlops, ComputeEstimator.DEFAULTS);
        }

        public Budget withCompute(ComputeEstimator compute) {
            return new Budget(maxTokens, maxCalls, usedTokens, usedCalls, reservedTokens, reservedCalls, maxFlops,
                    usedFlops, reservedFlops, compute);
        }

        public long remainingTokens() {
            return maxTokens == null ? Long.MAX_VALUE : Math.max(0, maxTokens - usedTokens - reservedTokens);
        }

        public long remainingCalls() {
            return maxCalls == null ? Long.MAX_VALUE : Math.max(0, maxCalls - usedCalls - reservedCalls);
        }

        public double remainingFlops() {
            return maxFlops == null ? Double.POSITIVE_INFINITY : Math.max(0, maxFlops - usedFlops - reservedFlops);
        }

        /**
         * Whether the budget can still pay for this much in every unit; FLOPs of a job come from
         * {@link Costs#generationFlops} or {@link Costs#scoringFlops} with {@link #compute()}.
         */
        public boolean covers(long tokens, long calls, double flops) {
            return tokens <= remainingTokens() && calls <= remainingCalls() && flops <= remainingFlops();
        }
    }
}
