package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the run a chat completion starts, then validates it exactly as {@code POST /v1/runs} would. The pipeline is
 * layered: the model's (preset or saved) ← {@code verigen.pipeline} ← the request's standard sampling fields. Errors
 * the run parser finds are reported at the chat request's own fields.
 */
@Component
public class RunPlanner {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunRequestParser parser;

    public RunPlanner(RunRequestParser parser) {
        this.parser = parser;
    }

    /** @param seedIfAbsent the seed when neither the request nor the pipeline names one */
    public CreateRun plan(ChatRequest request, ResolvedModel model, long seedIfAbsent) {
        ObjectNode body = NODES.objectNode();
        body.set("pipeline", pipeline(request, model));
        ObjectNode input = body.putObject("input").put("prompt", request.prompt());
        if (request.verigen().reference() != null) {
            input.put("reference", request.verigen().reference());
        }
        ChatRequest.Budget budget = request.budget();
        if (budget != null) {
            ObjectNode b = body.putObject("budget");
            if (budget.maxTokens() != null) {
                b.put("maxTokens", budget.maxTokens());
            }
            if (budget.maxCalls() != null) {
                b.put("maxCalls", budget.maxCalls());
            }
            if (budget.maxFlops() != null) {
                b.put("maxFlops", budget.maxFlops());
            }
        }
        try {
            return parser.parse(body, seedIfAbsent);
        } catch (ApiProblem problem) {
            if (problem.errors().isEmpty()) {
                throw problem;
            }
            throw ApiProblem.invalid(problem.errors().stream()
                    .map(e -> new FieldError(field(e.field(), request, model), e.message())).toList());
        }
    }

    static ObjectNode pipeline(ChatRequest request, ResolvedModel model) {
        ObjectNode pipeline = model.pipeline().deepCopy();
        ObjectNode extension = request.verigen().pipeline();
        if (extension != null) {
            JsonNode strategy = extension.get("strategy");
            if (strategy != null && !strategy.equals(pipeline.get("strategy"))) {
                pipeline.remove("options"); // another strategy's options would only be refused
            }
            for (String name : extension.propertyNames()) {
                JsonNode value = extension.get(name);
                JsonNode current = pipeline.get(name);
                if (name.equals("options") && value.isObject() && current != null && current.isObject()) {
                    ((ObjectNode) current).setAll((ObjectNode) value);
                } else {
                    pipeline.set(name, value.deepCopy());
                }
            }
        }
        if (model.samplesFollowChoices()) {
            pipeline.put("n", request.choices());
        }
        if (request.temperature() != null) {
            pipeline.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            pipeline.put("topP", request.topP());
        }
        if (request.maxTokens() != null) {
            pipeline.put("maxTokens", request.maxTokens());
        }
        if (request.stop() != null) {
            ArrayNode stop = pipeline.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (request.seed() != null) {
            pipeline.put("seed", request.seed());
        }
        return pipeline;
    }

    /** Where the client can fix what the run parser refused. */
    static String field(String runField, ChatRequest request, ResolvedModel model) {
        if (runField.equals("input.prompt")) {
            return "messages";
        }
        if (runField.equals("input.reference")) {
            return "verigen.reference";
        }
        if (runField.startsWith("budget.")) {
            return request.budget() != null && request.budget().field().equals(BudgetHeader.NAME)
                    ? BudgetHeader.NAME : "verigen." + runField;
        }
        if (runField.equals("pipeline.model")) {
            return "model";
        }
        if (runField.equals("pipeline.n") && model.samplesFollowChoices()) {
            return "n";
        }
        String standard = switch (runField) {
            case "pipeline.temperature" -> request.temperature() != null ? "temperature" : null;
            case "pipeline.topP" -> request.topP() != null ? "top_p" : null;
            case "pipeline.maxTokens" -> request.maxTokens() != null ? "max_tokens" : null;
            case "pipeline.seed" -> request.seed() != null ? "seed" : null;
            default -> runField.startsWith("pipeline.stop") && request.stop() != null ? "stop" : null;
        };
        if (standard != null) {
            return standard;
        }
        // the rest came from verigen.pipeline, or from a saved pipeline that no longer fits the configuration
        return runField.startsWith("pipeline") ? "verigen." + runField : runField;
    }
}
