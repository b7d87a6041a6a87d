package dev.verigen.orchestrator.pipelines;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.openai.Preset;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.support.problems.ApiProblem;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tenant's saved pipelines: {@code PUT /v1/pipelines/{name}} {@code {"pipeline": {...}, "description": "..."}}
 * (201 created, 200 replaced), {@code GET} one or all, {@code DELETE}. The spec is checked exactly as a run's
 * {@code pipeline} is (errors at {@code pipeline.<field>}), with a reference answer assumed present, so options that
 * need one can be saved; a run without a reference is refused when it uses them. The name is also an OpenAI model
 * name, so names that read as a model pool or a preset are refused.
 */
@RestController
@RequestMapping("/v1/pipelines")
public class PipelineController {

    private static final Set<String> FIELDS = Set.of("pipeline", "description");
    private static final int MAX_DESCRIPTION = 1000;
    private static final int MAX_LISTED = 500;

    private final PipelineRepository pipelines;
    private final RunRequestParser parser;
    private final OrchestratorProperties properties;

    public PipelineController(PipelineRepository pipelines, RunRequestParser parser, OrchestratorProperties properties) {
        this.pipelines = pipelines;
        this.parser = parser;
        this.properties = properties;
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<SavedPipeline> put(Caller caller, @PathVariable String name, @RequestBody JsonNode body) {
        checkName(name);
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", FIELDS);
        JsonNode pipeline = f.object(body, "pipeline", "pipeline", true);
        String description = f.text(body, "description", "description", false, MAX_DESCRIPTION);
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        validate(pipeline);
        boolean created = pipelines.put(caller.tenant(), name, pipeline, description);
        SavedPipeline saved = pipelines.find(caller.tenant(), name).orElseThrow();
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(saved);
    }

    @GetMapping
    public List<SavedPipeline> list(Caller caller) {
        return pipelines.list(caller.tenant(), MAX_LISTED);
    }

    @GetMapping("/{name}")
    public SavedPipeline get(Caller caller, @PathVariable String name) {
        return pipelines.find(caller.tenant(), name).orElseThrow(() -> notFound(name));
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
        if (!pipelines.delete(caller.tenant(), name)) {
            throw notFound(name);
        }
        return ResponseEntity.noContent().build();
    }

    /** Runs the spec through the run parser with a stand-in input; only {@code pipeline.*} errors can come back. */
    private void validate(JsonNode pipeline) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("pipeline", pipeline);
        body.putObject("input").put("prompt", "(saved pipeline)").put("reference", "0");
        parser.parse(body, 0L);
    }

    private void checkName(String name) {
        if (!PipelineNames.isValid(name)) {
            throw ApiProblem.invalid("name", "must match [a-z0-9][a-z0-9._-]{0,63}");
        }
        if (properties.pools().contains(name) || Preset.looksLikePreset(name)) {
            throw ApiProblem.invalid("name", "'" + name + "' is reserved: as a model name it means a model pool "
                    + "or a preset");
        }
    }

    private static ApiProblem notFound(String name) {
        return ApiProblem.notFound("no saved pipeline '" + name + "'");
    }
}
