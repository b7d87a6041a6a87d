package dev.verigen.contracts.suites;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSONL resources of the built-in suites stored next to this class ({@code <suite>.jsonl}). */
final class SuiteResources {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SuiteResources() {
    }

    /** Every non-blank line of {@code <suite>.jsonl} as a JSON object; a missing or broken resource is a bug. */
    static List<JsonNode> lines(String suite) {
        String resource = suite + ".jsonl";
        InputStream in = SuiteResources.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("built-in suite '" + suite + "' has no resource " + resource);
        }
        List<JsonNode> out = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    if (!node.isObject()) {
                        throw new IllegalStateException(resource + " line " + number + " is not a JSON object");
                    }
                    out.add(node);
                } catch (JacksonException e) {
                    throw new IllegalStateException(resource + " line " + number + ": " + e.getOriginalMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return out;
    }

    /** A required text field. */
    static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new IllegalStateException("suite item " + line.path("id").asString("?") + " lacks the text field '"
                    + field + "'");
        }
        return value.asString();
    }

    /** A required non-empty list of texts. */
    static List<String> texts(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new IllegalStateException("suite item " + line.path("id").asString("?") + " lacks the list '"
                    + field + "'");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : value) {
            if (!v.isString() || v.asString().isBlank()) {
                throw new IllegalStateException("suite item " + line.path("id").asString("?") + ": '" + field
                        + "' holds a blank or non-text entry");
            }
            out.add(v.asString());
        }
        return out;
    }
}
