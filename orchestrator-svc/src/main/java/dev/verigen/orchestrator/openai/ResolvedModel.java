package dev.verigen.orchestrator.openai;

import tools.jackson.databind.node.ObjectNode;

/**
 * A model name turned into the pipeline its runs start from.
 *
 * @param pipeline             the spec as {@code POST /v1/runs} takes it under {@code "pipeline"} (a fresh copy)
 * @param samplesFollowChoices whether the request's {@code n} sets the number of samples (single-sample models)
 * @param description          a line for {@code GET /v1/models}
 * @param created              epoch seconds: a saved pipeline's creation, else the start of this orchestrator
 */
public record ResolvedModel(String id, ObjectNode pipeline, boolean samplesFollowChoices, String description,
                            long created, boolean saved) {
}
