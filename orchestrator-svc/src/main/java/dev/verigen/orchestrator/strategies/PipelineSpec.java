package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import java.util.Objects;

/**
 * A validated, normalised pipeline: every default is filled in (the seed included), so the stored snapshot
 * alone reproduces the run.
 *
 * @param model       the model pool that generates
 * @param verifier    the verifier that checks candidates against the reference; null when none is wanted
 * @param rewardModel the scorer that ranks candidates; null when none is wanted
 * @param jobTimeoutSeconds how long a dispatched job stays worth waiting for
 */
public record PipelineSpec(String strategy, int n, String model, VerifierSpec verifier, String rewardModel,
                           SamplingParams sampling, int jobTimeoutSeconds) {

    public PipelineSpec {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampling, "sampling");
        if (n < 1 || jobTimeoutSeconds < 1) {
            throw new IllegalArgumentException("n and jobTimeoutSeconds must be positive");
        }
    }
}
