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
    /**
     * Archon keys about its API providers and prompt tweaks: accepted so its configs load, and ignored — as are
     * {@code batch_num} (which Archon's verifier never reads) and {@code length_contorl}, the misspelling Archon's own
     * published configs carry (its code reads neither).
     */
    static final Set<String> ARCHON_IGNORED = Set.of("model_type", "checkpoint", "ranker_batch_size", "length_control",
            "length_contorl", "batch_num", "no_system", "remove_unit_tests_from_prompt", "top_k_generations",
            "fuse_generations_count", "ranker_config");
    /** Keys of Archon's multi-branch layer object besides {@code models}; Archon's code reads only {@code models}. */
    static final Set<String> ARCHON_LAYER_KEYS = Set.of("models", "branches");
    static final int MAX_MODEL_MAP = 256;

    private final JsonFields fields;
    private final boolean archon;
    private final ComponentReader components;

    private ArchonConfigParser(StrategyOptions options, boolean archon, Map<String, String> modelMap) {
        this.fields = options.fields();
        this.archon = archon;
        this.components = new ComponentReader(options, archon, modelMap);
    }

    /** @return the normalised config, or null when it is invalid (the errors are in {@code options}) */
    public static ArchonConfig read(StrategyOptions options) {
        options.onlyKnown(Set.of("config", "layers", "name", "modelMap"));
        Map<String, String> modelMap = modelMap(options);
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
            return new ArchonConfigParser(options, false, modelMap).layers(layers, StrategyOptions.path("layers"), name);
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
        return new ArchonConfigParser(options, true, modelMap).layers(list, path + ".layers", name);
    }

    /**
     * {@code pipeline.options.modelMap}: the platform's pool for each model name a config writes (Archon's configs
     * name hosted models), {@code "*"} for every name not listed. Names that are pools need no entry.
     */
    private static Map<String, String> modelMap(StrategyOptions options) {
        JsonNode node = options.raw("modelMap");
        String path = StrategyOptions.path("modelMap");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject() || node.size() > MAX_MODEL_MAP) {
            options.reject("modelMap", "must be an object of at most " + MAX_MODEL_MAP + " entries {\"<model name>\": "
                    + "\"<pool>\"}, \"*\" for any other name");
            return Map.of();
        }
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (String name : node.propertyNames()) {
            JsonNode pool = node.get(name);
            String at = path + "[\"" + name + "\"]";
            if (name.isBlank() || name.length() > 256) {
                options.fields().reject(at, "a model name is 1 to 256 characters");
            } else if (!pool.isString() || !options.pools().contains(pool.stringValue())) {
                options.fields().reject(at, "must name a model pool; available: " + new TreeSet<>(options.pools()));
            } else {
                map.put(name, pool.stringValue());
            }
        }
        return map;
    }

    private ArchonConfig layers(JsonNode list, String path, String name) {
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_LAYERS) {
            fields.reject(path, "must be an array of 1 to " + MAX_LAYERS + " layers");
            return null;
        }
        int errors = fields.errors().size();
        List<WrittenLayer> written = new ArrayList<>();
        List<String> previous = List.of();
        for (int i = 0; i < list.size(); i++) {
            WrittenLayer layer = layer(list.get(i), i, path + "[" + i + "]");
            if (layer == null) {
                continue;
            }
            if (!archon) {
                written.add(layer);
                continue;
            }
            // Archon runs a layer's components one after the other on the previous layer's output, whatever their
            // types: a layer of several types is split into one layer per type, each taking that same input, and
            // the next layer takes all of their outputs
            List<WrittenLayer> parts = split(layer, i == 0 ? null : previous, written.size());
            written.addAll(parts);
            previous = parts.stream().map(WrittenLayer::name).toList();
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
        boolean single = archon && node != null && node.isObject() && node.has("type") && !node.has("models");
        if (single) {
            // a layer written as one component object: read as a layer of that one component (Archon's code wants
            // a list or a {"models": [...]} object here; a lone component is read as the layer it plainly means)
            list = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(node);
            componentsPath = path;
        } else if (node != null && node.isObject()) {
            // Archon's multi-branch {"branches": n, "models": [...]}; the camelCase format's {"name", "from", "components"}
            String key = archon ? "models" : "components";
            fields.onlyKnown(node, path, archon ? ARCHON_LAYER_KEYS : Set.of("name", "from", "components"));
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
            ArchonConfig.Component c = components.read(list.get(j), single ? path : componentsPath + "[" + j + "]");
            if (c != null) {
                parsed.add(c);
            }
        }
        if (parsed.size() < list.size()) {
            return null;
        }
        String first = parsed.getFirst().type();
        for (int j = 1; j < parsed.size() && !archon; j++) {
            if (!parsed.get(j).type().equals(first)) {
                fields.reject(componentsPath + "[" + j + "].type", "must be '" + first + "' like the layer's first "
                        + "component: a layer holds components of one type");
                return null;
            }
        }
        ComponentType type = ComponentType.of(first).orElseThrow();
        for (String t : parsed.stream().map(ArchonConfig.Component::type).distinct().toList()) {
            if (ComponentType.of(t).orElseThrow().alone() && parsed.stream().filter(c -> c.type().equals(t)).count() > 1) {
                fields.reject(componentsPath + "[1]", "a " + t + " must be the only component of its layer");
                return null;
            }
        }
        return new WrittenLayer(index, name, named, path + ".name", from, path + ".from", parsed,
                single ? path + ".type" : componentsPath + "[0].type");
    }

    /**
     * An Archon layer as the layers it runs as: one per component type, in the order the types first appear, each
     * taking {@code input} (the previous layer's outputs; null for the first layer), a generator nothing.
     */
    private static List<WrittenLayer> split(WrittenLayer layer, List<String> input, int position) {
        List<String> types = layer.components().stream().map(ArchonConfig.Component::type).distinct().toList();
        List<WrittenLayer> parts = new ArrayList<>();
        for (int t = 0; t < types.size(); t++) {
            String type = types.get(t);
            List<ArchonConfig.Component> group = layer.components().stream().filter(c -> c.type().equals(type))
                    .toList();
            String name = t == 0 ? layer.name() : layer.name() + "-" + (char) ('a' + t);
            List<String> from = type.equals(ComponentType.GENERATOR.configName()) && input != null ? List.of() : input;
            parts.add(new WrittenLayer(position + t, name, false, layer.namePath(), from, layer.fromPath(), group,
                    layer.typePath()));
        }
        return parts;
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
