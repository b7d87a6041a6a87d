package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * API JSON as the templates read it: objects become maps in which an absent member reads as null (the API leaves
 * some out, and a template asking {@code run.error} of a successful run should see "none", not fail), arrays become
 * lists, numbers stay numbers.
 */
final class ViewJson {

    private ViewJson() {
    }

    /** A map that answers every key: SpEL's map accessor then reads an absent member as null. */
    static final class Lenient extends LinkedHashMap<String, Object> {

        @Override
        public boolean containsKey(Object key) {
            return true;
        }
    }

    static Object of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Lenient map = new Lenient();
            node.properties().forEach(e -> map.put(e.getKey(), of(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(of(n)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asString();
    }
}
