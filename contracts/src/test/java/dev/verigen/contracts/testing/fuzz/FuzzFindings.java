package dev.verigen.contracts.testing.fuzz;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything wrong with the answers to hostile requests: a 5xx, an error that is not Verigen's problem+json, a stack
 * trace, an exception or class name, a JDBC URL, a host or database name, unparseable JSON. Collected rather than
 * thrown at the first, so that one run of a fuzz test reports every endpoint and input family that misbehaves;
 * similar findings (same request family, same complaint) are kept once.
 */
public final class FuzzFindings {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:verigen:problem:";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A Java stack frame: {@code at dev.verigen.X.y(X.java:12)}. */
    private static final Pattern FRAME = Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$<>]+)+\\(");
    private static final List<String> ANYWHERE = List.of("jdbc:", "org.postgresql", "PSQLException", "SQLState",
            "\tat ", "at dev.verigen");
    private static final List<String> IN_ERRORS = List.of("Exception", "java.lang", "java.util", "tools.jackson",
            "org.springframework", "org.apache", "verigen_test_");

    private final Set<String> findings = new LinkedHashSet<>();
    private final List<String> secrets;
    private int responses;

    /** @param secrets texts no error may contain unless the request did (host name, database name) */
    public FuzzFindings(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /** Checks one answer; {@code family} groups similar requests, e.g. {@code POST /v1/runs WRONG_TYPE}. */
    public void check(String family, String request, byte[] requestBody, HttpResponse<byte[]> response) {
        responses++;
        int status = response.statusCode();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            add(family, status + " for " + request + ": " + excerpt(body));
        }
        for (String marker : ANYWHERE) {
            if (body.contains(marker)) {
                add(family, "'" + marker + "' in the answer to " + request + ": " + excerpt(body));
            }
        }
        if (FRAME.matcher(body).find()) {
            add(family, "a stack frame in the answer to " + request + ": " + excerpt(body));
        }
        if (status >= 400) {
            problem(family, request, status, contentType, body);
            String sent = requestBody == null ? request : request + new String(requestBody, StandardCharsets.UTF_8);
            for (String marker : IN_ERRORS) {
                if (body.contains(marker) && !sent.contains(marker)) {
                    add(family, "'" + marker + "' in the error for " + request + ": " + excerpt(body));
                }
            }
            for (String secret : secrets) {
                if (body.contains(secret) && !sent.contains(secret)) {
                    add(family, "an internal name in the error for " + request + ": " + excerpt(body));
                }
            }
        } else if (contentType.startsWith("application/json") && !body.isEmpty()) {
            try {
                JSON.readTree(body);
            } catch (JacksonException e) {
                add(family, "unparseable JSON in the " + status + " answer to " + request + ": " + excerpt(body));
            }
        }
    }

    public void add(String family, String finding) {
        if (findings.stream().noneMatch(f -> f.startsWith(family + " | " + finding.substring(0,
                Math.min(finding.length(), 12))))) {
            findings.add(family + " | " + finding);
        }
    }

    public List<String> all() {
        return List.copyOf(findings);
    }

    public int responses() {
        return responses;
    }

    private void problem(String family, String request, int status, String contentType, String body) {
        if (!contentType.startsWith(PROBLEM_JSON)) {
            add(family, status + " as '" + contentType + "', not problem+json, for " + request + ": " + excerpt(body));
            return;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (JacksonException e) {
            add(family, "unparseable problem for " + request + ": " + excerpt(body));
            return;
        }
        List<String> wrong = new ArrayList<>();
        if (!problem.path("type").asString("").startsWith(TYPE_PREFIX)) {
            wrong.add("type");
        }
        if (problem.path("status").asInt() != status) {
            wrong.add("status");
        }
        if (problem.path("title").asString("").isBlank()) {
            wrong.add("title");
        }
        JsonNode error = problem.path("error");
        for (String member : List.of("message", "type", "code")) {
            if (!error.path(member).isString()) {
                wrong.add("error." + member);
            }
        }
        if (problem.has("errors") && (!problem.get("errors").isArray() || !problem.path("field").isString())) {
            wrong.add("errors/field");
        }
        if (!wrong.isEmpty()) {
            add(family, "problem members " + wrong + " wrong for " + request + ": " + excerpt(body));
        }
    }

    public static String excerpt(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
