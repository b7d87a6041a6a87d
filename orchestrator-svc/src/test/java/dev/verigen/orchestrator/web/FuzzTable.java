package dev.verigen.orchestrator.web;

import dev.verigen.contracts.testing.fuzz.FuzzKind;
import java.util.List;
import java.util.Set;

/**
 * The orchestrator's public endpoints as the fuzz test attacks them. {@code pending} ({@link #ahead()}) marks an
 * endpoint another branch is building: it is skipped while its method and path are not routed here (a framework
 * 404/405), and fuzzed like the rest once it is; after the merge, drop {@code ahead()} so that a missing route
 * fails.
 *
 * @param template    path with {@code {run}}, {@code {dataset}}, {@code {experiment}}, {@code {tenant}},
 *                    {@code {key}}, {@code {pipeline}} or {@code {model}} for ids the test creates
 * @param example     a valid body (JSON, or one JSONL line for {@code application/x-ndjson}); null for none
 * @param bodyCases   how many {@code JsonFuzzer} cases of the example to send
 * @param query       a query parameter to fuzz, or null
 * @param header      a request header to fuzz, or null
 * @param withWorkers answers only once its run has finished, so it is fuzzed last, with scripted workers running
 * @param complete    kinds of mutation sent in full rather than sampled (cheap ones where every path matters)
 */
record FuzzTable(String method, String template, String contentType, String example, int bodyCases,
                 String query, String header, boolean pending, boolean withWorkers, Set<FuzzKind> complete) {

    static final String JSON = "application/json";
    /** Numbers past long and double at every numeric path: cheap, and where a parser's conversions break. */
    private static final Set<FuzzKind> NUMBERS = Set.of(FuzzKind.EXTREME_NUMBER);
    static final String NDJSON = "application/x-ndjson";

    static final String PIPELINE = """
            {"strategy": "best_of_n", "n": 2, "model": "sim-math",
             "verifier": {"type": "numeric", "tolerance": 0.01}, "rewardModel": "sim-orm",
             "temperature": 0.7, "topP": 0.9, "maxTokens": 64, "seed": 1, "stop": ["\\n\\n"], "jobTimeoutSeconds": 60,
             "options": {"selection": "weighted", "adaptive": {"batch": 1, "confidence": 0.9}}}""";
    static final String RUN = """
            {"pipeline": %s,
             "input": {"prompt": "What is 40 + 2?", "reference": "42"},
             "budget": {"maxTokens": 5000, "maxCalls": 20, "maxFlops": 1e15}}""".formatted(PIPELINE);
    static final String ARCHON_RUN = """
            {"pipeline": {"strategy": "archon", "model": "sim-math", "rewardModel": "sim-orm", "options": {"config": {
                "name": "fuzz", "layers": [[{"type": "generator", "model": "sim-math", "samples": 2}],
                                           [{"type": "ranker", "model": "sim-math", "top_k": 1}],
                                           [{"type": "fuser", "model": "sim-math", "samples": 1}]]}}},
             "input": {"prompt": "What is 6 * 7?", "reference": "42"}}""";
    static final String STEPWISE_RUN = """
            {"pipeline": {"strategy": "beam_search", "model": "sim-math", "rewardModel": "sim-orm",
                          "options": {"beamWidth": 2, "expansions": 2, "lookahead": 1, "prm": "sim-prm:last"}},
             "input": {"prompt": "What is 6 * 7?"}}""";
    static final String ITEM = """
            {"id": "q1", "prompt": "What is 1 + 1?", "reference": "2", "task": "numeric"}""";
    static final String DATASET_ITEMS = "{\"name\": \"fuzz\", \"items\": [" + ITEM + "]}";
    static final String DATASET_JSONL = "{\"name\": \"fuzz-jsonl\", \"jsonl\": \"" + ITEM.replace("\"", "\\\"") + "\"}";
    static final String EXPERIMENT = """
            {"name": "fuzz", "dataset": {"items": [%s], "limit": 1, "name": "inline"},
             "pipelines": [{"name": "bon", "pipeline": {"strategy": "best_of_n", "n": 2, "model": "sim-math",
                                                         "rewardModel": "sim-orm", "maxTokens": 64}}],
             "budgets": [{"name": "small", "maxTokens": 4000, "maxCalls": 10, "maxFlops": 1e15}],
             "seeds": [1], "concurrency": 1}""".formatted(ITEM);
    static final String TENANT_BUDGET = "{\"maxTokens\": 100000, \"maxCalls\": 500, \"maxFlops\": 1e17}";
    static final String TENANT = "{\"id\": \"fuzz-tenant\", \"name\": \"Fuzz tenant\"}";
    static final String KEY = """
            {"name": "ci", "scopes": ["runs", "experiments"], "requestsPerMinute": 600, "burst": 100,
             "maxBodyBytes": 1048576}""";
    static final String SAVED_PIPELINE = "{\"pipeline\": " + PIPELINE + ", \"description\": \"fuzzed\"}";
    static final String CHAT = """
            {"model": "sim-math", "messages": [{"role": "system", "content": "Be brief."},
                                               {"role": "user", "content": "What is 40 + 2?"}],
             "n": 1, "temperature": 0.7, "top_p": 0.9, "max_tokens": 64, "stop": ["\\n\\n"], "seed": 1, "stream": false,
             "verigen": {"reference": "42", "budget": {"maxTokens": 5000, "maxCalls": 20}, "metadata": true}}""";

    static List<FuzzTable> endpoints() {
        return List.of(
                body("POST", "/v1/runs", JSON, RUN, 260).withHeader("Idempotency-Key").withAll(NUMBERS),
                body("POST", "/v1/runs", JSON, ARCHON_RUN, 70),
                body("POST", "/v1/runs", JSON, STEPWISE_RUN, 50),
                get("GET", "/v1/runs").withQuery("cursor"),
                get("GET", "/v1/runs/{run}"),
                get("POST", "/v1/runs/{run}/cancel"),
                get("GET", "/v1/runs/{run}/trace"),
                get("GET", "/v1/runs/{run}/events").withQuery("lastEventId").withHeader("Last-Event-ID"),
                body("POST", "/v1/datasets", JSON, DATASET_ITEMS, 150),
                body("POST", "/v1/datasets", JSON, DATASET_JSONL, 50),
                body("POST", "/v1/datasets", NDJSON, ITEM, 70).withQuery("name"),
                get("GET", "/v1/datasets"),
                get("GET", "/v1/datasets/{dataset}"),
                get("GET", "/v1/suites"),
                get("GET", "/v1/suites/{suite}"),
                body("POST", "/v1/experiments", JSON, EXPERIMENT, 220).withAll(NUMBERS),
                get("GET", "/v1/experiments"),
                get("GET", "/v1/experiments/{experiment}"),
                get("POST", "/v1/experiments/{experiment}/cancel"),
                get("POST", "/v1/experiments/{experiment}/resume"),
                get("GET", "/v1/experiments/{experiment}/results"),
                get("GET", "/v1/experiments/{experiment}/results.csv"),
                get("GET", "/v1/experiments/{experiment}/results.txt"),
                get("GET", "/v1/experiments/{experiment}/runs"),
                get("GET", "/v1/tenants/{tenant}/budget"),
                body("PUT", "/v1/tenants/{tenant}/budget", JSON, TENANT_BUDGET, 90).withAll(NUMBERS),
                // admin API, saved pipelines, OpenAI facade
                body("POST", "/v1/tenants", JSON, TENANT, 80),
                get("GET", "/v1/tenants"),
                get("GET", "/v1/tenants/{tenant}"),
                body("POST", "/v1/tenants/{tenant}/keys", JSON, KEY, 110).withAll(NUMBERS),
                get("GET", "/v1/tenants/{tenant}/keys"),
                get("GET", "/v1/tenants/{tenant}/keys/{key}"),
                body("PUT", "/v1/pipelines/{pipeline}", JSON, SAVED_PIPELINE, 140).withAll(NUMBERS),
                get("GET", "/v1/pipelines"),
                get("GET", "/v1/pipelines/{pipeline}"),
                get("GET", "/v1/models"),
                get("GET", "/v1/whoami"),
                get("GET", "/v1/stats/overview").withQuery("minutes"),
                get("GET", "/v1/platform/health"),
                get("GET", "/v1/models/{model}"),
                get("DELETE", "/v1/tenants/{tenant}/keys/{key}"),
                get("DELETE", "/v1/pipelines/{pipeline}"),
                new FuzzTable("POST", "/v1/chat/completions", JSON, CHAT, 100, null, "X-Verigen-Budget", false, true,
                        NUMBERS));
    }

    private static FuzzTable body(String method, String template, String contentType, String example, int cases) {
        return new FuzzTable(method, template, contentType, example, cases, null, null, false, false, Set.of());
    }

    private static FuzzTable get(String method, String template) {
        return new FuzzTable(method, template, null, null, 0, null, null, false, false, Set.of());
    }

    FuzzTable withQuery(String name) {
        return new FuzzTable(method, template, contentType, example, bodyCases, name, header, pending, withWorkers,
                complete);
    }

    FuzzTable withHeader(String name) {
        return new FuzzTable(method, template, contentType, example, bodyCases, query, name, pending, withWorkers,
                complete);
    }

    FuzzTable withAll(Set<FuzzKind> kinds) {
        return new FuzzTable(method, template, contentType, example, bodyCases, query, header, pending, withWorkers,
                kinds);
    }

    FuzzTable ahead() {
        return new FuzzTable(method, template, contentType, example, bodyCases, query, header, true, withWorkers,
                complete);
    }

    @Override
    public String toString() {
        return method + " " + template + (contentType == null ? "" : " (" + contentType + ")");
    }
}
