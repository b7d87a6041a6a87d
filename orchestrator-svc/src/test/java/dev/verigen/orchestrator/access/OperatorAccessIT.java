package dev.verigen.orchestrator.access;

import static dev.verigen.orchestrator.access.AccessHttp.assertProblem;
import static dev.verigen.orchestrator.access.AccessHttp.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The operator / tenant-admin split (issue 14) on every admin route, and the dashboard's read APIs: who am I, the run
 * list (filters, keyset paging, totals, tenant isolation, speed over 100,000 runs), the overview and the platform's
 * health.
 */
@OrchestratorIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorAccessIT {

    private static final String SECRET = "gateway-secret-for-tests";
    private static final String RUN = """
            {"pipeline": {"strategy": "%s", "n": 2, "model": "sim-math", "verifier": "numeric", "maxTokens": 20},
             "input": {"prompt": "What is 40 + 2?", "reference": "42"}}""";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.access.gateway-secret", () -> SECRET);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private AccessHttp as(String tenant, String scopes) {
        return AccessHttp.anonymous(port).as(Map.of("X-Verigen-Tenant", tenant, "X-Verigen-Key-Id", "key0" + tenant,
                "X-Verigen-Scopes", scopes, "X-Verigen-Gateway-Secret", SECRET));
    }

    @BeforeAll
    void tenants() throws Exception {
        AccessHttp operator = as("default", "runs,experiments,admin,operator");
        operator.ok("POST", "/v1/tenants", "{\"id\": \"op-a\", \"name\": \"A\"}", 201);
        operator.ok("POST", "/v1/tenants", "{\"id\": \"op-b\", \"name\": \"B\"}", 201);
    }

    @Test
    void aTenantAdminManagesOnlyItsOwnTenantAndNeverMintsOperators() throws Exception {
        AccessHttp admin = as("op-a", "admin");
        // only an operator lists or creates tenants
        assertProblem(admin.send("GET", "/v1/tenants", null), 403, "forbidden");
        assertProblem(admin.send("POST", "/v1/tenants", "{\"id\": \"sneaky\", \"name\": \"S\"}"), 403, "forbidden");
        // every route of another tenant answers as if it did not exist
        String otherKey = as("default", "operator").ok("POST", "/v1/tenants/op-b/keys",
                "{\"name\": \"b\", \"scopes\": [\"runs\"]}", 201).get("id").stringValue();
        for (String[] route : List.of(
                new String[]{"GET", "/v1/tenants/op-b", null},
                new String[]{"GET", "/v1/tenants/op-b/keys", null},
                new String[]{"POST", "/v1/tenants/op-b/keys", "{\"name\": \"x\", \"scopes\": [\"runs\"]}"},
                new String[]{"GET", "/v1/tenants/op-b/keys/" + otherKey, null},
                new String[]{"DELETE", "/v1/tenants/op-b/keys/" + otherKey, null},
                new String[]{"GET", "/v1/tenants/op-b/budget", null},
                new String[]{"PUT", "/v1/tenants/op-b/budget", "{\"maxTokens\": 1}"},
                new String[]{"GET", "/v1/tenants/nobody", null})) {
            assertProblem(admin.send(route[0], route[1], route[2]), 404, "not-found");
        }
        assertThat(as("default", "operator").get("/v1/tenants/op-b/keys/" + otherKey).get("revokedAt").isNull())
                .as("the other tenant's key is untouched").isTrue();
        assertThat(jdbc.sql("select count(*) from budgets where tenant_id = 'op-b' and scope = 'tenant'")
                .query(Long.class).single()).isZero();
        // its own tenant: keys and budget
        admin.get("/v1/tenants/op-a");
        String mine = admin.ok("POST", "/v1/tenants/op-a/keys", "{\"name\": \"ci\", \"scopes\": [\"runs\"]}", 201)
                .get("id").stringValue();
        assertThat(admin.get("/v1/tenants/op-a/keys").findValuesAsString("id")).contains(mine);
        admin.ok("DELETE", "/v1/tenants/op-a/keys/" + mine, null, 200);
        admin.ok("PUT", "/v1/tenants/op-a/budget", "{\"maxTokens\": 100000}", 201);
        admin.get("/v1/tenants/op-a/budget");
        // but never a key that would see every tenant
        assertProblem(admin.send("POST", "/v1/tenants/op-a/keys", "{\"name\": \"up\", \"scopes\": [\"operator\"]}"),
                403, "forbidden");
        // a key without admin (runs only) manages nothing, not even its own tenant
        assertProblem(as("op-a", "runs").send("GET", "/v1/tenants/op-a/keys", null), 404, "not-found");
    }

    @Test
    void anOperatorManagesEveryTenant() throws Exception {
        AccessHttp operator = as("default", "operator");
        operator.ok("POST", "/v1/tenants", "{\"id\": \"op-c\", \"name\": \"C\"}", 201);
        assertThat(operator.get("/v1/tenants").findValuesAsString("id")).contains("op-a", "op-b", "op-c", "default");
        operator.get("/v1/tenants/op-c");
        String key = operator.ok("POST", "/v1/tenants/op-c/keys", "{\"name\": \"ops\", \"scopes\": [\"operator\"]}",
                201).get("id").stringValue();
        assertThat(operator.get("/v1/tenants/op-c/keys").findValuesAsString("id")).contains(key);
        operator.ok("DELETE", "/v1/tenants/op-c/keys/" + key, null, 200);
        operator.ok("PUT", "/v1/tenants/op-c/budget", "{\"maxTokens\": 5000}", 201);
    }

    @Test
    void whoAmISaysTheTenantAndScopes() throws Exception {
        JsonNode me = as("op-a", "runs,admin").get("/v1/whoami");
        assertThat(me.get("tenant").stringValue()).isEqualTo("op-a");
        assertThat(me.get("scopes").toString()).isEqualTo("[\"runs\",\"admin\"]");
        assertThat(me.get("operator").booleanValue()).isFalse();
        assertThat(as("default", "runs,operator").get("/v1/whoami").get("operator").booleanValue()).isTrue();
    }

    @Test
    void theRunListShowsATenantItsOwnRunsPagedWithFiltersAndTotals() throws Exception {
        AccessHttp a = as("op-a", "runs");
        AccessHttp b = as("op-b", "runs");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(a.ok("POST", "/v1/runs", RUN.formatted(i % 2 == 0 ? "best_of_n" : "self_consistency"), 202)
                    .get("id").stringValue());
        }
        String theirs = b.ok("POST", "/v1/runs", RUN.formatted("best_of_n"), 202).get("id").stringValue();

        JsonNode all = a.get("/v1/runs");
        assertThat(all.get("total").asLong()).isEqualTo(5);
        assertThat(all.get("items").findValuesAsString("id")).containsExactlyElementsOf(mine.reversed());
        assertThat(all.get("items").findValuesAsString("tenant")).containsOnly("op-a");
        // keyset paging: pages of 2 in order, no repeats, the same total on every page
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = a.get("/v1/runs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("total").asLong()).isEqualTo(5);
            for (String id : page.get("items").findValuesAsString("id")) {
                assertThat(seen.add(id)).as("no run twice").isTrue();
                order.add(id);
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(order).containsExactlyElementsOf(mine.reversed());
        // filters
        assertThat(a.get("/v1/runs?strategy=self_consistency").get("total").asLong()).isEqualTo(2);
        assertThat(a.get("/v1/runs?status=running&model=sim-math").get("total").asLong()).isEqualTo(5);
        assertThat(a.get("/v1/runs?createdFrom=2999-01-01T00:00:00Z").get("total").asLong()).isZero();
        // another tenant: not listed, not by naming it either
        assertThat(all.get("items").findValuesAsString("id")).doesNotContain(theirs);
        assertProblem(a.send("GET", "/v1/runs?tenant=op-b", null), 403, "forbidden");
        // an operator sees every tenant, or the one it names
        AccessHttp operator = as("default", "runs,operator");
        assertThat(operator.get("/v1/runs?tenant=op-b").get("items").findValuesAsString("id")).containsExactly(theirs);
        assertThat(operator.get("/v1/runs").get("total").asLong()).isGreaterThanOrEqualTo(6);
        // refusals name the field
        HttpResponse<String> bad = a.send("GET", "/v1/runs?status=DONE&limit=0&cursor=zzz&createdTo=yesterday", null);
        assertThat(fields(assertProblem(bad, 400, "invalid-request")))
                .containsExactlyInAnyOrder("status", "limit", "cursor", "createdTo");

        // the overview counts the tenant's own runs; an operator's counts everyone's
        JsonNode overview = a.get("/v1/stats/overview?minutes=5");
        assertThat(overview.get("tenant").stringValue()).isEqualTo("op-a");
        assertThat(overview.at("/totals/runs").asLong()).isEqualTo(5);
        assertThat(overview.get("runsPerMinute")).hasSize(5);
        assertThat(overview.get("budgets").findValuesAsString("tenant")).containsOnly("op-a");
        assertThat(operator.get("/v1/stats/overview").get("tenant").isNull()).isTrue();
        assertProblem(a.send("GET", "/v1/stats/overview?minutes=0", null), 400, "invalid-request");
    }

    @Test
    void onlyAnOperatorReadsThePlatformsHealth() throws Exception {
        assertProblem(as("op-a", "runs,admin").send("GET", "/v1/platform/health", null), 403, "forbidden");
        JsonNode health = as("default", "operator").get("/v1/platform/health");
        assertThat(health.get("pools").findValuesAsString("pool")).contains("sim-math");
        assertThat(health.get("services").findValuesAsString("name")).contains("orchestrator-svc", "verifier-svc",
                "generator-svc", "reward-model-svc", "gpu-worker");
    }

    @Test
    void aPageOfAHundredThousandRunsIsFast() throws Exception {
        as("default", "operator").ok("POST", "/v1/tenants", "{\"id\": \"bulk\", \"name\": \"Bulk\"}", 201);
        jdbc.sql("""
                insert into runs (id, tenant_id, request_hash, strategy, spec, input, status, created_at, finished_at)
                select gen_random_uuid(), 'bulk', 'h' || g, (array['best_of_n', 'particle_filter', 'beam_search'])[g % 3 + 1],
                       jsonb_build_object('model', (array['sim-math', 'arith-tiny'])[g % 2 + 1]), '{}'::jsonb,
                       (array['SUCCEEDED', 'FAILED', 'RUNNING', 'CANCELLED'])[g % 4 + 1],
                       now() - g * interval '1 second', now() - g * interval '1 second' + interval '500 milliseconds'
                  from generate_series(1, 100000) g""").update();
        jdbc.sql("analyze runs").update();
        AccessHttp bulk = as("bulk", "runs");
        bulk.get("/v1/runs?limit=50"); // warm-up
        for (String query : List.of("", "&status=FAILED", "&strategy=particle_filter", "&model=arith-tiny",
                "&createdFrom=2000-01-01T00:00:00Z")) {
            long start = System.nanoTime();
            JsonNode page = bulk.get("/v1/runs?limit=50" + query);
            // ten pages deep by cursor
            for (int i = 0; i < 10; i++) {
                page = bulk.get("/v1/runs?limit=50" + query + "&cursor=" + page.get("nextCursor").stringValue());
            }
            double msPerPage = (System.nanoTime() - start) / 11 / 1e6;
            assertThat(page.get("items")).hasSize(50);
            assertThat(page.get("total").asLong()).isPositive();
            System.out.printf("runs list over 100,000 runs%s: %.1f ms per page (with total)%n", query, msPerPage);
            assertThat(msPerPage).as("ms per page" + query).isLessThan(500);
        }
    }
}
