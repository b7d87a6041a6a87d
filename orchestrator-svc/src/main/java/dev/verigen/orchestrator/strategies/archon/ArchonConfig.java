package dev.verigen.orchestrator.strategies.archon;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import java.util.List;

/**
 * A validated Archon pipeline, normalised: layers in the order they run, each named, each naming its inputs,
 * every component with its pool and settings filled in. It is also valid input in the camelCase format, so a
 * stored spec can be sent again as it is.
 *
 * @param name   the config's name, when it has one
 * @param layers in execution order; a layer's inputs always run before it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArchonConfig(String name, List<Layer> layers) {

    public ArchonConfig {
        layers = List.copyOf(layers);
    }

    public static ArchonConfig of(PipelineSpec spec) {
        return spec.options(ArchonConfig.class);
    }

    /**
     * @param from the layers whose output candidates are this layer's input (empty: none)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Layer(String name, List<String> from, List<Component> components) {
        public Layer {
            from = from == null ? List.of() : List.copyOf(from);
            components = List.copyOf(components);
        }

        public ComponentType type() {
            return ComponentType.of(components.getFirst().type()).orElseThrow();
        }
    }

    /**
     * One component; the settings its type does not take are null.
     *
     * @param samples      generator and fuser: outputs per component
     * @param topK         ranker and unit test evaluator: how many candidates go on (null: all)
     * @param firstK       verifier and unit test evaluator: stop at the first k that pass (null: keep all passing)
     * @param unitTestCap  unit test generator: how many tests to write
     * @param useCritiques ranker: show the candidates' critiques to the ranker
     * @param by           verifier: "model" (an LLM judge, as in Archon) or "verifier" (the run's verifier)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(String type, String pool, Integer samples, Double temperature, Integer maxTokens,
                            Integer topK, Integer firstK, Integer unitTestCap, Boolean useCritiques, String by) {
    }
}
