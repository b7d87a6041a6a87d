package dev.verigen.orchestrator.web;

import dev.verigen.support.problems.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed fields out of a JSON object and collects every problem with its path, so a client learns about
 * all its mistakes at once and never gets a 500 for a wrong type.
 */
public final class JsonFields {

    private final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> errors() {
        return errors;
    }

    public void reject(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    /** @return the object at {@code path}, or null (with an error when it is required or of the wrong type) */
    public JsonNode object(JsonNode parent, String name, String path, boolean required) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                reject(path, "is required");
            }
            return null;
        }
        if (!node.isObject()) {
            reject(path, "must be an object");
            return null;
        }
        return node;
    }

    public void onlyKnown(JsonNode object, String path, Set<String> known) {
        if (object == null) {
            return;
        }
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                reject(join(path, name), "unknown field; expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    /** A required field of a missing parent is not reported again: the parent's error says it all. */
    public String text(JsonNode parent, String name, String path, boolean required, int maxLength) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            if (required && parent != null) {
                reject(path, "is required");
            }
            return null;
        }
        if (!node.isString()) {
            reject(path, "must be a string");
            return null;
        }
        String value = node.stringValue();
        if (required && value.isBlank()) {
            reject(path, "must not be blank");
            return null;
        }
        if (value.length() > maxLength) {
            reject(path, "must be at most " + maxLength + " characters");
            return null;
        }
        return value;
    }

    public Long integer(JsonNode parent, String name, String path, long min, long max) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            reject(path, "must be an integer between " + min + " and " + max);
            return null;
        }
        long value = node.longValue();
        if (value < min || value > max) {
            reject(path, "must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    public Double decimal(JsonNode parent, String name, String path, double min, double max) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            reject(path, "must be a number between " + min + " and " + max);
            return null;
        }
        double value = toDouble(node);
        if (!(value >= min && value <= max)) {
            reject(path, "must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    /** A number above zero that a double can hold (so no infinity); integers and decimals alike, e.g. {@code 1e18}. */
    public Double positiveNumber(JsonNode parent, String name, String path) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        double value = node.isNumber() ? toDouble(node) : Double.NaN;
        if (!(value > 0) || Double.isInfinite(value)) {
            reject(path, "must be a positive, finite number");
            return null;
        }
        return value;
    }

    public List<String> strings(JsonNode parent, String name, String path, int maxItems, int maxLength) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > maxItems) {
            reject(path, "must be an array of at most " + maxItems + " strings");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isString() || item.stringValue().isEmpty() || item.stringValue().length() > maxLength) {
                reject(path + "[" + i + "]", "must be a non-empty string of at most " + maxLength + " characters");
            } else {
                values.add(item.stringValue());
            }
        }
        return values;
    }

    public Boolean bool(JsonNode parent, String name, String path) {
        JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            reject(path, "must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    /**
     * The number as a double, infinite when out of range: a node's own {@code doubleValue()} throws for an integer
     * literal beyond a double (10^400 written out), which would make a wrong number a 500.
     */
    private static double toDouble(JsonNode number) {
        return number.numberValue().doubleValue();
    }

    public static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
