package dev.verigen.verifier.composite;

import dev.verigen.contracts.VerifierSpec;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The JSON form of a verifier spec that people write: a name ({@code "numeric"}) or an object with a {@code type}
 * and its options ({@code {"type": "numeric", "tolerance": 0.01}}). Options travel as strings
 * ({@link VerifierSpec#options()}), so scalars keep their text and arrays or objects (a composite's
 * {@code verifiers}, its {@code weights}) are stored as their JSON text. The contracts' own form,
 * {@code {"type": ..., "options": {...}}}, is read too. Used by the HTTP API and by {@code composite} for its
 * children, so both accept exactly the same thing.
 */
public final class VerifierSpecs {

    public static final int MAX_TYPE_CHARS = 64;

    private VerifierSpecs() {
    }

    /**
     * @throws InvalidOptionException naming the offending path relative to {@code node} ({@code ""} for the node
     *                                itself, {@code type}, or an option's name)
     */
    public static VerifierSpec read(JsonNode node) {
        if (node != null && node.isString()) {
            return new VerifierSpec(type(node, ""), Map.of());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidOptionException("", "must be a verifier name or an object with a type");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw new InvalidOptionException("type", "is required");
        }
        String type = type(typeNode, "type");
        Map<String, String> options = new LinkedHashMap<>();
        for (String name : node.propertyNames()) {
            if (name.equals("type")) {
                continue;
            }
            JsonNode value = node.get(name);
            if (name.equals("options") && value.isObject()) {
                for (String inner : value.propertyNames()) {
                    options.put(inner, option(value.get(inner), inner));
                }
            } else {
                options.put(name, option(value, name));
            }
        }
        return new VerifierSpec(type, options);
    }

    private static String type(JsonNode node, String path) {
        if (!node.isString()) {
            throw new InvalidOptionException(path, "must be a string");
        }
        String type = node.stringValue();
        if (type.isBlank()) {
            throw new InvalidOptionException(path, "must not be blank");
        }
        if (type.length() > MAX_TYPE_CHARS) {
            throw new InvalidOptionException(path, "must be at most " + MAX_TYPE_CHARS + " characters");
        }
        return type;
    }

    private static String option(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            throw new InvalidOptionException(path, "must not be null");
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isValueNode()) {
            return value.asString();
        }
        return value.toString(); // arrays and objects keep their JSON text
    }

    /** A type as it may be quoted in a message: sanitised and short. */
    static String quote(String type) {
        return "'" + Text.excerpt(type, MAX_TYPE_CHARS) + "'";
    }
}
