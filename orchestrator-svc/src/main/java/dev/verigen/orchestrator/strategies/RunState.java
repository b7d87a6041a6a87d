package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a strategy may look at, rebuilt from PostgreSQL before each decision. Strategies never see
 * Kafka, the database or a clock: the same state and event always give the same decision.
 */
public record RunState(UUID runId, PipelineSpec spec, RunInput input, Budget budget, List<Step> steps,
                       List<Candidate> candidates) {

    public RunState {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(budget, "budget");
        steps = List.copyOf(steps);
        candidates = List.copyOf(candidates);
    }

    public long pendingSteps() {
        return steps.stream().filter(s -> s.status() == Step.Status.PENDING).count();
    }

    public record Step(UUID id, StepKind kind, Status status, String errorCode, String errorDetail) {
        public enum Status { PENDING, DONE, FAILED }
    }

    /** A candidate with the judgement of the run's own verifier and reward model, where they have answered. */
    public record Candidate(UUID id, int index, String text, Verdict.Outcome verdict, String extracted, Double score) {
    }

    /**
     * The run's budget as it stands: what is spent, what is held for jobs in flight, and the caps
     * (null = no cap).
     */
    public record Budget(Long maxTokens, Long maxCalls, long usedTokens, long usedCalls, long reservedTokens,
                         long reservedCalls) {

        public static final Budget UNLIMITED = new Budget(null, null, 0, 0, 0, 0);

        public long remainingTokens() {
            return maxTokens == null ? Long.MAX_VALUE : Math.max(0, maxTokens - usedTokens - reservedTokens);
        }

        public long remainingCalls() {
            return maxCalls == null ? Long.MAX_VALUE : Math.max(0, maxCalls - usedCalls - reservedCalls);
        }
    }
}
