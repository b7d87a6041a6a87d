package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.pipelines.PipelineNames;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;

/**
 * What a model name asks for. Read in this order: {@code <preset>/<pool>}; {@code <pipeline>/<pool>} (a saved
 * pipeline on another pool); {@code <pool>} (one sample); {@code <pipeline>}. A configured pool therefore wins over
 * a saved pipeline of the same name, which is why such names cannot be saved.
 */
public sealed interface ModelName {

    int MAX_LENGTH = 160;

    /** The name as the client wrote it. */
    String id();

    record OfPreset(String id, Preset preset, String pool) implements ModelName {
    }

    record OfPool(String id, String pool) implements ModelName {
    }

    /** @param pool the pool that replaces the saved spec's model; null keeps it */
    record OfPipeline(String id, String pipeline, String pool) implements ModelName {
    }

    /**
     * @throws ApiProblem 404 {@code model-not-found} for a name that cannot name a model, 400 on {@code model} for a
     *                    preset with a bad size
     */
    static ModelName parse(String id, Set<String> pools, int maxSamples) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            throw notFound(id, "model names are at most " + MAX_LENGTH + " characters");
        }
        int slash = id.indexOf('/');
        if (slash < 0) {
            if (pools.contains(id)) {
                return new OfPool(id, id);
            }
            if (Preset.looksLikePreset(id)) {
                throw notFound(id, "a preset needs a model pool: " + id + "/<pool>, pools: " + new TreeSet<>(pools));
            }
            if (PipelineNames.isValid(id)) {
                return new OfPipeline(id, id, null);
            }
            throw notFound(id, null);
        }
        String left = id.substring(0, slash);
        String pool = id.substring(slash + 1);
        if (!pools.contains(pool)) {
            throw notFound(id, "no model pool '" + pool + "'; pools: " + new TreeSet<>(pools));
        }
        Optional<Preset> preset;
        try {
            preset = Preset.parse(left, maxSamples);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("model", e.getMessage());
        }
        if (preset.isPresent()) {
            return new OfPreset(id, preset.get(), pool);
        }
        if (PipelineNames.isValid(left)) {
            return new OfPipeline(id, left, pool);
        }
        throw notFound(id, null);
    }

    static ApiProblem notFound(String id, String hint) {
        String detail = "The model '" + id + "' does not exist"
                        + (hint == null ? "; GET /v1/models lists the models" : ": " + hint);
        return new ApiProblem(HttpStatus.NOT_FOUND, "model-not-found", "Model not found", detail,
                List.of(new FieldError("model", detail)));
    }
}
