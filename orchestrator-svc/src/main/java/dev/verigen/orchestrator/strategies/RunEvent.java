package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.JobError;
import java.util.List;
import java.util.UUID;

/** What just happened to a run. The state a strategy receives already includes the event's effects. */
public sealed interface RunEvent {

    record Started() implements RunEvent {
    }

    /**
     * A step's result was applied.
     *
     * @param label         the label the step was dispatched with (generation steps)
     * @param newCandidates candidates the step produced (generation steps only)
     * @param error         why the step failed, when it did
     */
    record StepFinished(UUID stepId, StepKind kind, String label, List<UUID> newCandidates, JobError error)
            implements RunEvent {
        public StepFinished {
            label = label == null ? "" : label;
            newCandidates = List.copyOf(newCandidates);
        }

        public StepFinished(UUID stepId, StepKind kind, List<UUID> newCandidates, JobError error) {
            this(stepId, kind, "", newCandidates, error);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * A running generation reported a sample so far (only jobs that asked for it, {@link Action.Generate#progressTokens}):
     * the text is recorded as a snapshot candidate ({@link RunState.Candidate#isSnapshot()}), which the strategy may
     * score, and then cancel the job if it is not worth finishing. The job's own result still follows, unless
     * cancelled; a snapshot that arrives after its job ended is dropped.
     *
     * @param sample   the sample's index within the job
     * @param snapshot the snapshot candidate
     * @param tokens   how many tokens the sample had generated
     */
    record Progressed(UUID stepId, String label, int sample, UUID snapshot, long tokens) implements RunEvent {
        public Progressed {
            label = label == null ? "" : label;
        }
    }
}
