package dev.verigen.verifier.api;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;

import dev.verigen.contracts.VerifierSpec;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.composite.VerifierSpecs;
import dev.verigen.verifier.stats.Label;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the bytes of a {@code POST /v1/verifications} body into a {@link VerificationRequest}, or refuses them:
 * not UTF-8 or not JSON → 400 {@code malformed-json}; unknown fields, wrong types, a missing candidate, an unknown
 * verifier type → 400 {@code invalid-request} naming every field; a candidate, reference or prompt over the limit
 * → 413 naming it.
 */
@Component
class VerificationRequestParser {

    private static final Set<String> FIELDS = Set.of("verifier", "candidate", "reference", "prompt", "label");
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final VerifierRegistry registry;
    private final ApiProperties limits;

    VerificationRequestParser(VerifierRegistry registry, ApiProperties limits) {
        this.registry = registry;
        this.limits = limits;
    }

    VerificationRequest parse(byte[] body) {
        JsonNode root = json(body);
        List<FieldError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw ApiProblem.invalid("$", "the body must be a JSON object");
        }
        for (String name : root.propertyNames()) {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field; expected one of " + new TreeSet<>(FIELDS)));
            }
        }
        String candidate = text(root, "candidate", true, errors);
        String reference = text(root, "reference", false, errors);
        String prompt = text(root, "prompt", false, errors);
        Label label = null;
        String labelText = text(root, "label", false, errors);
        if (labelText != null) {
            label = Label.parse(labelText).orElse(null);
            if (label == null) {
                errors.add(new FieldError("label", "must be correct or incorrect"));
            }
        }
        VerifierSpec verifier = verifier(root.get("verifier"), errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        for (String field : List.of("candidate", "reference", "prompt")) {
            String value = switch (field) {
                case "candidate" -> candidate;
                case "reference" -> reference;
                default -> prompt;
            };
            if (value != null && utf8Length(value) > limits.maxCandidateBytes()) {
                throw ApiProblem.tooLarge(field, field + " is larger than " + limits.maxCandidateBytes() + " bytes (UTF-8)");
            }
        }
        return new VerificationRequest(verifier, candidate, reference, prompt, label);
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw ApiProblem.malformed("the body is empty; expected a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiProblem.malformed("the body is not valid UTF-8");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw ApiProblem.malformed("the body is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
    }

    private static String text(JsonNode root, String name, boolean required, List<FieldError> errors) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(name, "is required"));
            }
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(name, "must be a string"));
            return null;
        }
        return node.stringValue();
    }

    private VerifierSpec verifier(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("verifier", "is required: a verifier name or {\"type\": ..., options}; available: "
                    + registry.types()));
            return null;
        }
        VerifierSpec spec;
        try {
            spec = VerifierSpecs.read(node);
        } catch (InvalidOptionException e) {
            errors.add(new FieldError(path(e.option()), e.getMessage()));
            return null;
        }
        if (registry.find(spec.type()).isEmpty()) {
            errors.add(new FieldError(node.isObject() ? "verifier.type" : "verifier",
                    "unknown verifier '" + Text.excerpt(spec.type(), VerifierSpecs.MAX_TYPE_CHARS) + "'; available: "
                            + registry.types()));
            return null;
        }
        return spec;
    }

    /** {@code verifier}, {@code verifier.tolerance}, {@code verifier.verifiers[1].type}. */
    static String path(String option) {
        if (option == null || option.isEmpty()) {
            return "verifier";
        }
        return option.startsWith("[") ? "verifier" + option : "verifier." + option;
    }

    private static long utf8Length(String s) {
        if (s.length() > Integer.MAX_VALUE / 4) {
            return Long.MAX_VALUE;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
