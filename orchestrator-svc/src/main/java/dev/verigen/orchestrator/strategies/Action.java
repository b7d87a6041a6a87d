package dev.verigen.orchestrator.strategies;

import java.util.List;
import java.util.UUID;

/** What a strategy wants done. The run driver carries actions out; strategies never do I/O themselves. */
public sealed interface Action {

    /** Ask the run's model pool for {@code n} samples of the prompt. */
    record Generate(int n) implements Action {
        public Generate {
            if (n < 1) {
                throw new IllegalArgumentException("n must be positive");
            }
        }
    }

    /** Check these candidates with the run's verifier. */
    record Verify(List<UUID> candidateIds) implements Action {
        public Verify {
            candidateIds = List.copyOf(candidateIds);
        }
    }

    /** Score these candidates with the run's reward model. */
    record Score(List<UUID> candidateIds) implements Action {
        public Score {
            candidateIds = List.copyOf(candidateIds);
        }
    }

    /** The run is done and this candidate is its answer. */
    record Finish(UUID candidateId, String reason) implements Action {
    }

    /** The run cannot produce an answer. */
    record Fail(String code, String detail) implements Action {
    }
}
