package dev.verigen.verifier.code;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The test cases of a {@code code_tests} job, in one of two forms.
 * <ul>
 *   <li>A JSON array of cases, each run on its own after the candidate's code:
 *       {@code {"name": "empty", "code": "assert total([]) == 0"}} (statements of the language; the case fails when
 *       they throw), or with an {@code entrypoint}: {@code {"name": "two", "args": [1, 2], "expected": 3}} (the
 *       entrypoint's return value must equal {@code expected} as JSON: structurally, floats within 1e-9). A bare
 *       string is a {@code code} case.</li>
 *   <li>A test source (pytest / plain style): every top-level {@code def test_*()} (Python) or
 *       {@code function test_*()} / {@code const test_* =} (JavaScript) is one case; the whole source runs after
 *       the candidate's code, then that one function is called.</li>
 * </ul>
 */
public record TestSuite(List<Case> cases, String source, String entrypoint) {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_NAME = 100;

    public record Case(String name, String kind, JsonNode body) {
    }

    public TestSuite {
        cases = List.copyOf(cases);
    }

    public List<String> names() {
        return cases.stream().map(Case::name).toList();
    }

    /** @throws IllegalArgumentException saying what is wrong with the tests */
    public static TestSuite parse(String tests, Language language, String entrypoint, int maxTests) {
        if (tests == null || tests.isBlank()) {
            throw new IllegalArgumentException("no tests given");
        }
        if (entrypoint != null && !language.isIdentifier(entrypoint)) {
            throw new IllegalArgumentException("entrypoint '" + entrypoint + "' is not a " + language.id() + " identifier");
        }
        String t = tests.strip();
        TestSuite suite = t.startsWith("[") ? fromJson(t, entrypoint) : fromSource(tests, language, entrypoint);
        if (suite.cases.isEmpty()) {
            throw new IllegalArgumentException(t.startsWith("[") ? "the test list is empty"
                    : "the test source defines no top-level test_* function");
        }
        if (suite.cases.size() > maxTests) {
            throw new IllegalArgumentException(suite.cases.size() + " tests; at most " + maxTests + " are allowed");
        }
        return suite;
    }

    private static TestSuite fromJson(String tests, String entrypoint) {
        JsonNode root;
        try {
            root = JSON.readTree(tests);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tests look like a JSON array but do not parse: " + e.getOriginalMessage());
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException("tests must be a JSON array of cases");
        }
        List<Case> cases = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode item : root) {
            i++;
            String name = "test_" + i;
            ObjectNode body = JSON.createObjectNode();
            String kind;
            if (item.isString()) {
                kind = "code";
                body.put("code", item.stringValue());
            } else if (item.isObject()) {
                JsonNode n = item.get("name");
                if (n != null && !n.isNull()) {
                    if (!n.isString() || n.stringValue().isBlank() || n.stringValue().length() > MAX_NAME) {
                        throw new IllegalArgumentException("case " + i + ": name must be a non-empty string of at most "
                                + MAX_NAME + " characters");
                    }
                    name = n.stringValue().strip();
                }
                JsonNode code = item.get("code");
                if (code != null && !code.isNull()) {
                    if (!code.isString()) {
                        throw new IllegalArgumentException("case '" + name + "': code must be a string");
                    }
                    kind = "code";
                    body.put("code", code.stringValue());
                } else if (item.has("args") || item.has("expected")) {
                    if (entrypoint == null) {
                        throw new IllegalArgumentException("case '" + name + "' has args/expected but no entrypoint option names the function to call");
                    }
                    JsonNode args = item.get("args");
                    if (args != null && !args.isNull() && !args.isArray()) {
                        throw new IllegalArgumentException("case '" + name + "': args must be a JSON array");
                    }
                    if (!item.has("expected")) {
                        throw new IllegalArgumentException("case '" + name + "' has args but no expected value");
                    }
                    kind = "call";
                    body.set("args", args == null || args.isNull() ? JSON.createArrayNode() : args);
                    body.set("expected", item.get("expected"));
                } else {
                    throw new IllegalArgumentException("case '" + name + "' has neither code nor args/expected");
                }
            } else {
                throw new IllegalArgumentException("case " + i + " must be an object or a string");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("two cases are named '" + name + "'");
            }
            cases.add(new Case(name, kind, body));
        }
        return new TestSuite(cases, null, entrypoint);
    }

    private static TestSuite fromSource(String source, Language language, String entrypoint) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = language.testFunction().matcher(source);
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(m.groupCount()));
        }
        List<Case> cases = names.stream().map(n -> new Case(n, "function", JSON.createObjectNode())).toList();
        return new TestSuite(cases, source, entrypoint);
    }

    /** The spec the harness reads from {@code /verigen/tests.json}. */
    String specJson(List<String> childCommand, long testTimeoutMs, long outputExcerptBytes) {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode cmd = spec.putArray("command");
        childCommand.forEach(cmd::add);
        spec.put("testTimeoutMs", testTimeoutMs);
        spec.put("outputExcerptBytes", outputExcerptBytes);
        spec.put("entrypoint", entrypoint);
        spec.put("source", source);
        ArrayNode list = spec.putArray("cases");
        for (Case c : cases) {
            ObjectNode o = list.addObject();
            o.put("name", c.name());
            o.put("kind", c.kind());
            o.setAll((ObjectNode) c.body());
        }
        return JSON.writeValueAsString(spec);
    }
}
