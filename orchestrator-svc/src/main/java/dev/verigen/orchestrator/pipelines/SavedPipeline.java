package dev.verigen.orchestrator.pipelines;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's named pipeline, kept as the client wrote it (not normalised): defaults and a random seed are filled in
 * when a run uses it, so a saved pipeline without a seed gives different samples each time, as a run would.
 *
 * @param pipeline the spec, as {@code POST /v1/runs} takes it under {@code "pipeline"}
 */
public record SavedPipeline(String name, String description, JsonNode pipeline, Instant createdAt,
                            Instant updatedAt) {
}
