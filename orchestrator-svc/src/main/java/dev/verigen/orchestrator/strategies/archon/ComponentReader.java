package dev.verigen.orchestrator.strategies.archon;

import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Reads one component in either format and fills in its defaults: the run's model pool, temperature and max
 * tokens, one sample, a ranker's top 5, five unit tests. Archon's format may carry any Archon key on any component
 * (its own code ignores the ones a type does not use, and so do we); the camelCase format takes only the settings
 * of the component's type.
 */
final class ComponentReader {

    /** As many as a run may sample (pipeline.n); Archon's published configs go to 1000. The budget bounds them. */
    static final int MAX_SAMPLES = 1024;
    static final int MAX_K = 64;
    static final int MAX_UNIT_TESTS = 20;
    static final int DEFAULT_RANKER_TOP_K = 5;
    static final int DEFAULT_UNIT_TESTS = 5;

    private final StrategyOptions options;
    private final JsonFields fields;
    private final PipelineSpec base;
    private final boolean archon;
    private final Map<String, String> modelMap;

    ComponentReader(StrategyOptions options, boolean archon, Map<String, String> modelMap) {
        this.options = options;
        this.fields = options.fields();
        this.base = options.base();
        this.archon = archon;
        this.modelMap = modelMap;
    }

    /** @return the component, or null when it is invalid */
    ArchonConfig.Component read(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            fields.reject(path, "must be an object with a type");
            return null;
        }
        int errors = fields.errors().size();
        String typeName = fields.text(node, "type", path + ".type", true, 64);
        if (typeName == null) {
            return null;
        }
        ComponentType type = ComponentType.of(typeName).orElse(null);
        if (type == null) {
            fields.reject(path + ".type", "unknown component type '" + typeName + "'; known: "
                    + ArchonConfigParser.known());
            return null;
        }
        refuseUnknownKeys(node, path, type);
        String pool = fields.text(node, key("pool"), at(path, "pool"), false, 256);
        if (pool != null && !options.pools().contains(pool)) {
            String mapped = modelMap.getOrDefault(pool, modelMap.get("*"));
            if (mapped == null) {
                fields.reject(at(path, "pool"), "unknown model pool '" + pool + "'; available: "
                        + new TreeSet<>(options.pools()) + " (map model names to pools with pipeline.options.modelMap)");
            }
            pool = mapped;
        }
        Double temperature = fields.decimal(node, key("temperature"), at(path, "temperature"), 0, 2);
        Integer maxTokens = maxTokens(node, path);
        Set<String> settings = type.settings();
        Integer samples = settings.contains("samples") ? integer(node, "samples", path, MAX_SAMPLES, 1) : null;
        Integer topK = settings.contains("topK")
                ? integer(node, "topK", path, MAX_K, type == ComponentType.RANKER ? DEFAULT_RANKER_TOP_K : null) : null;
        Integer firstK = settings.contains("firstK")
                ? integer(node, "firstK", path, MAX_K, firstPass(node, path)) : null;
        Integer unitTestCap = settings.contains("unitTestCap")
                ? integer(node, "unitTestCap", path, MAX_UNIT_TESTS, DEFAULT_UNIT_TESTS) : null;
        Boolean useCritiques = null;
        if (settings.contains("useCritiques")) {
            Boolean given = fields.bool(node, key("useCritiques"), at(path, "useCritiques"));
            useCritiques = given != null && given;
        }
        String by = settings.contains("by") ? by(node, path) : null;
        if (fields.errors().size() > errors) {
            return null;
        }
        return new ArchonConfig.Component(type.configName(), pool == null ? base.model() : pool, samples,
                temperature == null ? base.sampling().temperature() : temperature,
                maxTokens == null ? base.sampling().maxTokens() : maxTokens, topK, firstK, unitTestCap, useCritiques,
                by);
    }

    private void refuseUnknownKeys(JsonNode node, String path, ComponentType type) {
        for (String name : node.propertyNames()) {
            if (archon && !ArchonConfigParser.ARCHON_KEYS.containsKey(name)
                    && !ArchonConfigParser.ARCHON_IGNORED.contains(name) && !name.equals("first_pass")) {
                fields.reject(path + "." + name, "unknown key; Archon's keys here are "
                        + new TreeSet<>(ArchonConfigParser.ARCHON_KEYS.keySet()) + " (also accepted and ignored: "
                        + new TreeSet<>(ArchonConfigParser.ARCHON_IGNORED) + ")");
            } else if (!archon && !ComponentType.COMMON.contains(name) && !type.settings().contains(name)) {
                TreeSet<String> expected = new TreeSet<>(ComponentType.COMMON);
                expected.addAll(type.settings());
                fields.reject(path + "." + name, "not a setting of a " + type.configName() + "; expected one of "
                        + expected);
            }
        }
    }

    /**
     * A component may not sample longer than the run lets any sample be (the platform's per-sample limit): in the
     * camelCase format a larger {@code maxTokens} is refused; Archon's configs ask providers for up to 200,000, which
     * are capped to the run's limit as a provider caps them to its model's.
     */
    private Integer maxTokens(JsonNode node, String path) {
        Long value = fields.integer(node, key("maxTokens"), at(path, "maxTokens"), 1, Integer.MAX_VALUE);
        if (archon && value != null) {
            return (int) Math.min(value, base.sampling().maxTokens());
        }
        if (value != null && value > base.sampling().maxTokens()) {
            fields.reject(at(path, "maxTokens"), "must be at most pipeline.maxTokens (" + base.sampling().maxTokens()
                    + "); raise pipeline.maxTokens to let components sample longer");
            return null;
        }
        return value == null ? null : value.intValue();
    }

    private Integer integer(JsonNode node, String setting, String path, int max, Integer dflt) {
        Long value = fields.integer(node, key(setting), at(path, setting), 1, max);
        return value == null ? dflt : Integer.valueOf(value.intValue());
    }

    /** Archon's older {@code first_pass: true} means {@code first_k: 1}. */
    private Integer firstPass(JsonNode node, String path) {
        if (!archon) {
            return null;
        }
        Boolean firstPass = fields.bool(node, "first_pass", path + ".first_pass");
        return Boolean.TRUE.equals(firstPass) ? 1 : null;
    }

    private String by(JsonNode node, String path) {
        String by = fields.text(node, "by", path + ".by", false, 16);
        if (by == null) {
            return "model";
        }
        if (!by.equals("model") && !by.equals("verifier")) {
            fields.reject(path + ".by", "must be one of [model, verifier]");
        } else if (by.equals("verifier") && (base.verifier() == null || !options.hasReference())) {
            fields.reject(path + ".by", "'verifier' uses the run's verifier: it needs pipeline.verifier and "
                    + "input.reference");
        }
        return by;
    }

    private String key(String setting) {
        if (!archon) {
            return setting;
        }
        return ArchonConfigParser.ARCHON_KEYS.entrySet().stream().filter(e -> e.getValue().equals(setting))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private String at(String path, String setting) {
        return path + "." + key(setting);
    }
}
