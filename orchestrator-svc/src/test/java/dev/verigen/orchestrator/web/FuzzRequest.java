package dev.verigen.orchestrator.web;

import dev.verigen.contracts.testing.fuzz.FuzzCase;
import dev.verigen.contracts.testing.fuzz.JsonFuzzer;
import dev.verigen.contracts.testing.fuzz.NdjsonFuzzer;
import dev.verigen.contracts.testing.fuzz.PathFuzzer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hostile request, and how the fuzz test derives them from a {@link FuzzTable} entry: mutated bodies, path
 * segments, query values, header values, content types, and methods the path does not take.
 *
 * @param family groups similar requests in findings: endpoint and kind of mutation
 * @param label  what exactly was sent, for a report
 */
record FuzzRequest(String family, String label, String method, String path, String contentType, byte[] body,
                   Map<String, String> headers) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json;;", "garbage", "*/*");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

    static List<FuzzRequest> of(FuzzTable e, Map<String, String> ids, long seed) {
        List<FuzzRequest> out = new ArrayList<>();
        String path = fill(e.template(), ids, null, null);
        byte[] valid = e.example() == null ? null : e.example().getBytes(StandardCharsets.UTF_8);
        String name = e.toString();
        if (e.example() != null) {
            List<FuzzCase> cases = new ArrayList<>(FuzzTable.NDJSON.equals(e.contentType())
                    ? NdjsonFuzzer.cases(e.example(), seed, e.bodyCases())
                    : JsonFuzzer.of(e.example(), seed).sample(e.bodyCases()));
            Set<String> sampled = new HashSet<>();
            cases.forEach(c -> sampled.add(c.description()));
            if (!e.complete().isEmpty()) {
                JsonFuzzer.of(e.example(), seed).cases().stream()
                        .filter(c -> e.complete().contains(c.kind()) && !sampled.contains(c.description()))
                        .forEach(cases::add);
            }
            for (FuzzCase c : cases) {
                out.add(new FuzzRequest(name + " " + c.kind(), name + " " + c, e.method(), path, e.contentType(),
                        c.body(), Map.of()));
            }
            out.add(new FuzzRequest(name + " content type", name + " without a content type", e.method(), path,
                    null, valid, Map.of()));
            for (String type : CONTENT_TYPES) {
                out.add(new FuzzRequest(name + " content type", name + " as " + type, e.method(), path, type, valid,
                        Map.of()));
            }
        }
        Matcher m = PLACEHOLDER.matcher(e.template());
        while (m.find()) {
            for (PathFuzzer.Value v : PathFuzzer.segments(seed)) {
                out.add(new FuzzRequest(name + " path {" + m.group(1) + "}", name + " with {" + m.group(1) + "} = "
                        + v.description(), e.method(), fill(e.template(), ids, m.group(1), v.encoded()),
                        e.contentType(), valid, Map.of()));
            }
        }
        if (e.query() != null) {
            for (PathFuzzer.Value v : PathFuzzer.queryValues(seed)) {
                out.add(new FuzzRequest(name + " ?" + e.query(), name + " with ?" + e.query() + "=" + v.description(),
                        e.method(), path + "?" + e.query() + "=" + v.encoded(), e.contentType(), valid, Map.of()));
            }
        }
        if (e.header() != null) {
            for (String value : PathFuzzer.headerValues(seed)) {
                out.add(new FuzzRequest(name + " " + e.header(), name + " with " + e.header() + ": "
                        + (value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + ")" : value),
                        e.method(), path, e.contentType(), valid, Map.of(e.header(), value)));
            }
        }
        return out;
    }

    /** Methods a path does not take, once per path. */
    static List<FuzzRequest> otherMethods(List<FuzzTable> table, Map<String, String> ids) {
        List<FuzzRequest> out = new ArrayList<>();
        Set<String> templates = new LinkedHashSet<>();
        table.forEach(e -> templates.add(e.template()));
        for (String template : templates) {
            Set<String> taken = new LinkedHashSet<>();
            table.stream().filter(e -> e.template().equals(template)).forEach(e -> taken.add(e.method()));
            for (String method : METHODS) {
                if (!taken.contains(method)) {
                    out.add(new FuzzRequest("methods", method + " " + template, method, fill(template, ids, null, null),
                            null, null, Map.of()));
                }
            }
        }
        return out;
    }

    /** The template with every placeholder replaced by its id, except {@code fuzzed}, which gets {@code value}. */
    static String fill(String template, Map<String, String> ids, String fuzzed, String value) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String id = m.group(1).equals(fuzzed) ? value : ids.get(m.group(1));
            if (id == null) {
                throw new IllegalStateException("no id for {" + m.group(1) + "}");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(id));
        }
        return m.appendTail(b).toString();
    }

    @Override
    public String toString() {
        return label;
    }
}
