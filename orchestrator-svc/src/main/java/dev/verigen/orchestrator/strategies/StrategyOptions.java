package dev.verigen.orchestrator.strategies;

import dev.verigen.orchestrator.web.JsonFields;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A strategy's view of {@code pipeline.options} while a spec is validated: typed reads that collect every problem
 * with its path (under {@code pipeline.options}), and what the platform offers (pools, scorers, verifiers) so options
 * naming them can be checked up front.
 *
 * @param node     the options object as sent; null when absent
 * @param base     the rest of the pipeline (n, model, sampling, verifier, reward model) as already parsed
 * @param hasReference whether the run's input has a reference answer for verifiers
 */
public record StrategyOptions(JsonNode node, JsonFields fields, PipelineSpec base, boolean hasReference,
                              Set<String> pools, Set<String> scorers, Set<String> verifiers) {

    public static final String PATH = "pipeline.options";

    public static String path(String name) {
        return PATH + "." + name;
    }

    public void reject(String name, String message) {
        fields.reject(name.isEmpty() ? PATH : path(name), message);
    }

    public void onlyKnown(Set<String> known) {
        if (node != null && !known.isEmpty()) {
            fields.onlyKnown(node, PATH, known);
        } else if (node != null && !node.isEmpty()) {
            fields.reject(PATH, "strategy '" + base.strategy() + "' takes no options");
        }
    }

    public int integer(String name, long min, long max, int dflt) {
        Long v = fields.integer(node, name, path(name), min, max);
        return v == null ? dflt : v.intValue();
    }

    public double decimal(String name, double min, double max, double dflt) {
        Double v = fields.decimal(node, name, path(name), min, max);
        return v == null ? dflt : v;
    }

    public boolean bool(String name, boolean dflt) {
        Boolean v = fields.bool(node, name, path(name));
        return v == null ? dflt : v;
    }

    public String text(String name, int maxLength, String dflt) {
        String v = fields.text(node, name, path(name), false, maxLength);
        return v == null ? dflt : v;
    }

    /** One of {@code allowed}; the default when absent. */
    public String choice(String name, Set<String> allowed, String dflt) {
        String v = fields.text(node, name, path(name), false, 64);
        if (v != null && !allowed.contains(v)) {
            reject(name, "must be one of " + new TreeSet<>(allowed));
            return dflt;
        }
        return v == null ? dflt : v;
    }

    /** A reward model reward-model-svc offers ({@code name[:variant...]}); the default when absent. */
    public String scorer(String name, String dflt) {
        String v = fields.text(node, name, path(name), false, 128);
        if (v != null && !scorers.contains(v.split(":", 2)[0])) {
            reject(name, "unknown reward model '" + v + "'; available: " + new TreeSet<>(scorers));
            return dflt;
        }
        return v == null ? dflt : v;
    }

    /** A model pool the gpu-workers serve; the default when absent. */
    public String pool(String name, String dflt) {
        String v = fields.text(node, name, path(name), false, 64);
        if (v != null && !pools.contains(v)) {
            reject(name, "unknown model pool '" + v + "'; available: " + new TreeSet<>(pools));
            return dflt;
        }
        return v == null ? dflt : v;
    }

    public List<Double> decimals(String name, int maxItems, double min, double max, List<Double> dflt) {
        JsonNode list = node == null ? null : node.get(name);
        if (list == null || list.isNull()) {
            return dflt;
        }
        if (!list.isArray() || list.isEmpty() || list.size() > maxItems) {
            reject(name, "must be an array of 1 to " + maxItems + " numbers");
            return dflt;
        }
        var out = new java.util.ArrayList<Double>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isNumber() || !(item.doubleValue() >= min && item.doubleValue() <= max)) {
                fields.reject(path(name) + "[" + i + "]", "must be a number between " + min + " and " + max);
            } else {
                out.add(item.doubleValue());
            }
        }
        return out;
    }

    /** The raw value of an option whose shape only the strategy knows (e.g. archon's layers). */
    public JsonNode raw(String name) {
        return node == null ? null : node.get(name);
    }
}
