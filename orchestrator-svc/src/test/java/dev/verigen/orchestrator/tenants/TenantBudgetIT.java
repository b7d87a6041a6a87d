package dev.verigen.orchestrator.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.orchestrator.engine.ScriptedWorkers;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tenant budgets through the API and the engine: real PostgreSQL, Kafka, HTTP; scripted workers. */
@OrchestratorIT
class TenantBudgetIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // per run: one generation of 3 samples (reserves 15 + 256 + 3 × 50 = 421 tokens, 3 calls; uses 19 tokens,
    // 3 calls), a free verification, and a sim-orm scoring of 3 calls
    private static final String BODY = """
            {"pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math", "verifier": "numeric",
                          "rewardModel": "sim-orm", "maxTokens": 50, "seed": 1},
             "input": {"prompt": "What is 40 + 2?", "reference": "42"}%s}""";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    ComputeEstimator compute;

    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedWorkers workers;

    @BeforeEach
    void startWorkersWithoutATenantBudget() {
        jdbc.sql("update steps set tenant_budget_id = null").update();
        jdbc.sql("delete from budgets where scope = 'tenant'").update();
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        workers.close();
    }

    @Test
    void theShippedModelSizesAreTheOnesPureCodeUses() {
        assertThat(compute).isEqualTo(ComputeEstimator.DEFAULTS);
    }

    @Test
    void tenantBudgetsAreCreatedReadAndReplaced() throws Exception {
        assertProblem(send("GET", "/v1/tenants/default/budget", null), 404, "not-found");
        assertProblem(send("GET", "/v1/tenants/nobody/budget", null), 404, "not-found");
        assertProblem(send("PUT", "/v1/tenants/nobody/budget", "{\"maxTokens\": 10}"), 404, "not-found");

        HttpResponse<String> created = send("PUT", "/v1/tenants/default/budget",
                "{\"maxTokens\": 100000, \"maxCalls\": 500, \"maxFlops\": 1e17}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode budget = JSON.readTree(send("GET", "/v1/tenants/default/budget", null).body());
        assertThat(budget.get("tenant").stringValue()).isEqualTo("default");
        assertThat(budget.get("maxTokens").asLong()).isEqualTo(100_000);
        assertThat(budget.get("maxCalls").asLong()).isEqualTo(500);
        assertThat(budget.get("maxFlops").asDouble()).isEqualTo(1e17);
        assertThat(budget.get("usedTokens").asLong()).isZero();
        assertThat(budget.get("remainingCalls").asLong()).isEqualTo(500);

        HttpResponse<String> replaced = send("PUT", "/v1/tenants/default/budget", "{\"maxCalls\": 7}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode after = JSON.readTree(replaced.body());
        assertThat(after.get("maxCalls").asLong()).isEqualTo(7);
        assertThat(after.get("maxTokens").isNull()).as("an absent cap is no cap").isTrue();
        assertThat(after.get("remainingTokens").isNull()).isTrue();
    }

    @Test
    void invalidTenantBudgetsAreRefusedWithEveryField() throws Exception {
        HttpResponse<String> invalid = send("PUT", "/v1/tenants/default/budget",
                "{\"maxTokens\": -1, \"maxCalls\": \"many\", \"maxFlops\": 1e400, \"maxDollars\": 5}");
        JsonNode problem = assertProblem(invalid, 400, "invalid-request");
        assertThat(problem.get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("maxTokens", "maxCalls", "maxFlops", "maxDollars");
        assertProblem(send("PUT", "/v1/tenants/default/budget", "[]"), 400, "invalid-request");
        assertProblem(send("PUT", "/v1/tenants/default/budget", "{"), 400, "malformed-json");
        assertProblem(send("GET", "/v1/tenants/default/budget", null), 404, "not-found");
    }

    @Test
    void concurrentRunsNeverTakeMoreThanTheTenantBudgetAndTheirBooksAddUp() throws Exception {
        // room for 5 runs' calls (3 generation + 3 scoring each), for fewer generations in flight at once
        send("PUT", "/v1/tenants/default/budget", "{\"maxTokens\": 2000, \"maxCalls\": 30, \"maxFlops\": 1e14}");
        List<String> ids = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                posts.add(pool.submit(() -> send("POST", "/v1/runs", BODY.formatted(""))));
            }
            for (Future<HttpResponse<String>> post : posts) {
                HttpResponse<String> response = post.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                ids.add(JSON.readTree(response.body()).get("id").stringValue());
            }
        }
        List<JsonNode> runs = new ArrayList<>();
        for (String id : ids) {
            runs.add(awaitFinished(id));
        }

        JsonNode tenant = JSON.readTree(send("GET", "/v1/tenants/default/budget", null).body());
        assertThat(tenant.get("reservedTokens").asLong()).isZero();
        assertThat(tenant.get("reservedCalls").asLong()).isZero();
        assertThat(tenant.get("reservedFlops").asDouble()).isZero();
        assertThat(tenant.get("usedTokens").asLong()).isLessThanOrEqualTo(2000);
        assertThat(tenant.get("usedCalls").asLong()).isLessThanOrEqualTo(30);
        assertThat(tenant.get("usedFlops").asDouble()).isLessThanOrEqualTo(1e14);
        Map<String, Object> sums = jdbc.sql("""
                select sum(used_tokens) as tokens, sum(used_calls) as calls, sum(used_flops) as flops
                  from budgets where scope = 'run' and run_id = any(string_to_array(:ids, ',')::uuid[])""")
                .param("ids", String.join(",", ids)).query().singleRow();
        assertThat(((Number) sums.get("tokens")).longValue()).isEqualTo(tenant.get("usedTokens").asLong());
        assertThat(((Number) sums.get("calls")).longValue()).isEqualTo(tenant.get("usedCalls").asLong());
        assertThat((BigDecimal) sums.get("flops")).isEqualByComparingTo(jdbc.sql(
                "select used_flops from budgets where scope = 'tenant'").query(BigDecimal.class).single());

        assertThat(runs).anySatisfy(r -> assertThat(r.get("status").stringValue()).isEqualTo("SUCCEEDED"));
        assertThat(runs).anySatisfy(r -> {
            assertThat(r.get("status").stringValue()).isEqualTo("FAILED");
            assertThat(r.at("/error/code").stringValue()).isEqualTo("budget_exhausted");
            assertThat(r.at("/error/detail").stringValue()).contains("tenant budget");
        });
        List<String> refusals = jdbc.sql("""
                select distinct data->>'budget' from run_events
                 where type = 'run.finished' and data->>'code' = 'budget_exhausted'
                   and run_id = any(string_to_array(:ids, ',')::uuid[])""")
                .param("ids", String.join(",", ids)).query(String.class).list();
        assertThat(refusals).containsExactly("tenant");
    }

    @Test
    void aTenantFlopsCapRefusesARunThatTheRunBudgetWouldAllow() throws Exception {
        send("PUT", "/v1/tenants/default/budget", "{\"maxFlops\": 1e12}");
        JsonNode run = awaitFinished(JSON.readTree(send("POST", "/v1/runs", BODY.formatted("")).body())
                .get("id").stringValue());
        assertThat(run.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(run.at("/error/code").stringValue()).isEqualTo("budget_exhausted");
        assertThat(run.at("/error/detail").stringValue()).startsWith("no room for a generation job in the tenant budget: flops (needs ");
        assertThat(run.at("/budget/reservedFlops").asDouble()).isZero();
        assertThat(run.at("/budget/reservedTokens").asLong()).as("the run's reservation was given back").isZero();
    }

    @Test
    void aRunFlopsCapShrinksTheSamplesTheStrategyAsksForAndBooksTheEstimatedFlops() throws Exception {
        // three samples of this prompt on sim-math are bounded by ~7.61e12 FLOPs, one by ~5.1e12: under a 6e12 cap
        // best_of_n draws one sample instead of asking for three and failing
        JsonNode shrunk = awaitFinished(JSON.readTree(send("POST", "/v1/runs",
                BODY.formatted(", \"budget\": {\"maxFlops\": 6e12}")).body()).get("id").stringValue());
        assertThat(shrunk.get("status").stringValue()).as(shrunk.toString()).isEqualTo("SUCCEEDED");
        assertThat(shrunk.get("candidates")).hasSize(1);
        assertThat(shrunk.at("/budget/usedFlops").asDouble()).isPositive().isLessThanOrEqualTo(6e12);
        assertThat(shrunk.at("/budget/reservedFlops").asDouble()).isZero();

        JsonNode run = awaitFinished(JSON.readTree(send("POST", "/v1/runs",
                BODY.formatted(", \"budget\": {\"maxFlops\": 8e12}")).body()).get("id").stringValue());
        assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("candidates")).hasSize(3);
        assertThat(run.at("/budget/maxFlops").asDouble()).isEqualTo(8e12);
        // 10 prompt tokens read once, 3 samples of 3 tokens: 2 · 7e9 · 19 + 3 · 295 · 131,072 · (3 · 10 + 3) FLOPs
        double expected = 2 * 7e9 * 19 + 3 * 295.0 * 131_072 * 33;
        assertThat(run.at("/budget/usedFlops").asDouble()).isEqualTo(Math.ceil(expected));
        assertThat(run.at("/usage/flops").asDouble()).isEqualTo(Math.ceil(expected));
        assertThat(run.at("/budget/reservedFlops").asDouble()).isZero();
    }

    private JsonNode awaitFinished(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(send("GET", "/v1/runs/" + id, null).body()),
                        run -> !run.get("status").stringValue().equals("RUNNING")
                                && run.at("/budget/reservedCalls").asLong() == 0);
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:" + slug);
        return problem;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
