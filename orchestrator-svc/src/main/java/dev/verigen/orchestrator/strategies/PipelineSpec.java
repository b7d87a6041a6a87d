package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import java.util.Map;
import java.util.Objects;

/**
 * A validated, normalised pipeline: every default is filled in (the seed included), so the stored snapshot
 * alone reproduces the run.
 *
 * @param model       the model pool that generates
 * @param verifier    the verifier that checks candidates against the reference; null when none is wanted
 * @param rewardModel the scorer that ranks candidates; null when none is wanted
 * @param jobTimeoutSeconds how long a dispatched job stays worth waiting for
 * @param options     the strategy's own settings, normalised by {@link Strategy#options} (defaults filled in)
 */
public record PipelineSpec(String strategy, int n, String model, VerifierSpec verifier, String rewardModel,
                           SamplingParams sampling, int jobTimeoutSeconds, Map<String, Object> options) {

    public PipelineSpec {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampling, "sampling");
        if (n < 1 || jobTimeoutSeconds < 1) {
            throw new IllegalArgumentException("n and jobTimeoutSeconds must be positive");
        }
        options = options == null ? Map.of() : options;
    }

    public PipelineSpec(String strategy, int n, String model, VerifierSpec verifier, String rewardModel,
                        SamplingParams sampling, int jobTimeoutSeconds) {
        this(strategy, n, model, verifier, rewardModel, sampling, jobTimeoutSeconds, Map.of());
    }

    /** The strategy's options as its own record type. */
    public <T> T options(Class<T> type) {
        return Json.convert(options, type);
    }

    public PipelineSpec withOptions(Object normalised) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = normalised == null ? Map.of() : Json.convert(normalised, Map.class);
        return new PipelineSpec(strategy, n, model, verifier, rewardModel, sampling, jobTimeoutSeconds, map);
    }
}
