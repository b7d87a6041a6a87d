package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.access.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/models} (OpenAI's list format) and {@code GET /v1/models/{id}}. Model names hold a slash
 * ({@code bon-8/sim-math}), so the id is the rest of the path.
 */
@RestController
public class ModelController {

    private final ModelCatalog models;

    public ModelController(ModelCatalog models) {
        this.models = models;
    }

    @GetMapping("/v1/models")
    public ChatWire.ModelList list(Caller caller) {
        return new ChatWire.ModelList("list", models.list(caller.tenant()).stream().map(ModelController::view).toList());
    }

    @GetMapping("/v1/models/{*id}")
    public ChatWire.Model get(Caller caller, @PathVariable String id) {
        return view(models.resolve(caller.tenant(), id.startsWith("/") ? id.substring(1) : id));
    }

    private static ChatWire.Model view(ResolvedModel model) {
        JsonNode p = model.pipeline();
        var verigen = RunResult.ordered("description", model.description(), "saved", model.saved(),
                "strategy", text(p, "strategy"), "pool", text(p, "model"), "pipeline", p);
        return new ChatWire.Model(model.id(), "model", model.created(), "verigen", verigen);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || !value.isString() ? null : value.stringValue();
    }
}
