package dev.verigen.orchestrator.strategies.archon;

import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Reads an Archon pipeline from {@code pipeline.options}: either Archon's own JSON config as {@code config}
 * (snake_case keys, layers strictly in order, {@code model} naming a model pool), or {@code layers} in the
 * camelCase format, whose layers may be named and name their inputs ({@code "from"}). Every problem is reported
 * with its field path.
 */
public final class ArchonConfigParser {

    static final int MAX_LAYERS = 16;
    static final int MAX_COMPONENTS = 16;
    static final int MAX_FROM = 8;

    /** Archon's keys and the camelCase settings they stand for. */
    static final Map<String, String> ARCHON_KEYS = Map.of("type", "type", "model", "pool", "samples", "samples",
            "temperature", "temperature", "max_tokens", "maxTokens", "top_k", "topK", "first_k", "firstK",
            "unit_test_cap", "unitTestCap", "use_critiques", "useCritiques", "by", "by");
    /** Archon keys about its API providers and prompt tweaks: accepted so its configs load, and ignored. */
    static final Set<String> ARCHON_IGNORED = Set.of("model_type", "checkpoint", "ranker_batch_size", "length_control",
            "no_system", "remove_unit_tests_from_prompt", "top_k_generations", "fuse_generations_count",
            "ranker_config");

    private final JsonFields fields;
    private final boolean archon;
    private final ComponentReader components;

    private ArchonConfigParser(StrategyOptions options, boolean archon) {
        this.fields = options.fields();
        this.archon = archon;
        this.components = new ComponentReader(options, archon);
    }

    /** @return the normalised config, or null when it is invalid (the errors are in {@code options}) */
    public static ArchonConfig read(StrategyOptions options) {
        options.onlyKnown(Set.of("config", "layers", "name"));
        JsonNode config = options.raw("config");
        JsonNode layers = options.raw("layers");
        if (config != null && layers != null) {
            options.reject("", "give either config (Archon's format) or layers (camelCase format), not both");
            return null;
        }
        if (config == null && layers == null) {
            options.reject("layers", "is required: a list of layers, or config with an Archon config");
            return null;
        }
        if (config == null) {
            String name = options.text("name", 256, null);
            return new ArchonConfigParser(options, false).layers(layers, StrategyOptions.path("layers"), name);
        }
        String path = StrategyOptions.path("config");
        if (!config.isObject()) {
            options.reject("config", "must be an object: an Archon config with name and layers");
            return null;
        }
        options.fields().onlyKnown(config, path, Set.of("name", "layers", "custom"));
        if (Boolean.TRUE.equals(options.fields().bool(config, "custom", path + ".custom"))) {
            options.fields().reject(path + ".custom", "custom components cannot run here");
        }
        String name = options.fields().text(config, "name", path + ".name", false, 256);
        JsonNode list = config.get("layers");
        if (list == null || list.isNull()) {
            options.fields().reject(path + ".layers", "is required");
            return null;
        }
        return new ArchonConfigParser(options, true).layers(list, path + ".layers", name);
    }

    private ArchonConfig layers(JsonNode list, String path, String name) {
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_LAYERS) {
            fields.reject(path, "must be an array of 1 to " + MAX_LAYERS + " layers");
            return null;
        }
        int errors = fields.errors().size();
        List<WrittenLayer> written = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            WrittenLayer layer = layer(list.get(i), i, path + "[" + i + "]");
            if (layer != null) {
                written.add(layer);
            }
        }
        if (fields.errors().size() > errors) {
            return null; // the graph of broken layers would only repeat what is already said
        }
        LayerGraph graph = new LayerGraph(written, fields);
        List<Integer> order = graph.order();
        if (order == null || !graph.checkFlow(order, path)) {
            return null;
        }
        List<ArchonConfig.Layer> layers = new ArrayList<>();
        for (int i : order) {
            List<String> from = graph.inputs(i).stream().map(s -> written.get(s).name()).toList();
            layers.add(new ArchonConfig.Layer(written.get(i).name(), from, written.get(i).components()));
        }
        return new ArchonConfig(name, layers);
    }

    private WrittenLayer layer(JsonNode node, int index, String path) {
        String name = "layer-" + index;
        boolean named = false;
        List<String> from = null;
        JsonNode list = node;
        String componentsPath = path;
        if (node != null && node.isObject()) {
            // Archon's deprecated {"models": [...]}; the camelCase format's {"name", "from", "components"}
            String key = archon ? "models" : "components";
            fields.onlyKnown(node, path, archon ? Set.of("models") : Set.of("name", "from", "components"));
            list = node.get(key);
            componentsPath = path + "." + key;
            if (!archon) {
                String given = fields.text(node, "name", path + ".name", false, 64);
                if (given != null && !given.isBlank()) {
                    name = given;
                    named = true;
                }
                from = from(node.get("from"), path + ".from");
            }
        }
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_COMPONENTS) {
            fields.reject(componentsPath, "must be an array of 1 to " + MAX_COMPONENTS + " components");
            return null;
        }
        List<ArchonConfig.Component> parsed = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            ArchonConfig.Component c = components.read(list.get(j), componentsPath + "[" + j + "]");
            if (c != null) {
                parsed.add(c);
            }
        }
        if (parsed.size() < list.size()) {
            return null;
        }
        String first = parsed.getFirst().type();
        for (int j = 1; j < parsed.size(); j++) {
            if (!parsed.get(j).type().equals(first)) {
                fields.reject(componentsPath + "[" + j + "].type", "must be '" + first + "' like the layer's first "
                        + "component: a layer holds components of one type");
                return null;
            }
        }
        ComponentType type = ComponentType.of(first).orElseThrow();
        if (type.alone() && parsed.size() > 1) {
            fields.reject(componentsPath + "[1]", "a " + first + " must be the only component of its layer");
            return null;
        }
        return new WrittenLayer(index, name, named, path + ".name", from, path + ".from", parsed,
                componentsPath + "[0].type");
    }

    private List<String> from(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        boolean valid = node.isString() || node.isArray() && node.size() <= MAX_FROM;
        if (node.isString()) {
            names.add(node.stringValue());
        } else if (valid) {
            for (JsonNode item : node) {
                valid &= item.isString();
                names.add(item.isString() ? item.stringValue() : "");
            }
        }
        if (!valid || names.stream().anyMatch(String::isBlank)) {
            fields.reject(path, "must be a layer name or an array of at most " + MAX_FROM + " layer names");
            return null;
        }
        return names;
    }

    static String known() {
        return new TreeSet<>(ComponentType.names()).toString();
    }
}
