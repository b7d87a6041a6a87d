package dev.verigen.orchestrator.access;

import static dev.verigen.orchestrator.access.AccessHttp.assertProblem;
import static dev.verigen.orchestrator.access.AccessHttp.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.orchestrator.engine.ScriptedWorkers;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Two tenants behind a gateway (its identity headers and shared secret sent by the test): what tenant A owns is
 * not found for tenant B, whatever B tries, and stays as A left it. A's run and experiment are held running by the
 * scripted workers, so that B's cancel attempts would show if they worked.
 */
@OrchestratorIT
class TenantIsolationIT {

    private static final String SECRET = "gateway-secret-for-tests";
    private static final String PROMPT = "What is 40 + 2? " + ScriptedWorkers.HELD;
    private static final String RUN = """
            {"pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math", "verifier": "numeric", "maxTokens": 20},
             "input": {"prompt": "%s", "reference": "42"}}""".formatted(PROMPT);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.experiments.tick-interval", () -> "100ms");
        registry.add("verigen.orchestrator.access.gateway-secret", () -> SECRET);
    }

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker kafka;

    private ScriptedWorkers workers;

    @BeforeEach
    void startWorkers() {
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        workers.close();
    }

    private AccessHttp as(String tenant, String secret) {
        return AccessHttp.anonymous(port).as(Map.of("X-Verigen-Tenant", tenant, "X-Verigen-Key-Id", "key0" + tenant,
                "X-Verigen-Scopes", "runs,experiments", "X-Verigen-Gateway-Secret", secret));
    }

    @Test
    void anotherTenantFindsNothingOfATenantsAndChangesNothing() throws Exception {
        AccessHttp admin = AccessHttp.anonymous(port);
        admin.ok("POST", "/v1/tenants", "{\"id\": \"iso-a\", \"name\": \"A\"}", 201);
        admin.ok("POST", "/v1/tenants", "{\"id\": \"iso-b\", \"name\": \"B\"}", 201);
        AccessHttp a = as("iso-a", SECRET);
        AccessHttp b = as("iso-b", SECRET);

        String run = a.with("Idempotency-Key", "shared-key").ok("POST", "/v1/runs", RUN, 202).get("id").stringValue();
        String dataset = a.ok("POST", "/v1/datasets", """
                {"name": "a-private", "items": [{"id": "x", "prompt": "%s", "reference": "42"}]}"""
                .formatted(PROMPT), 201).get("id").stringValue();
        String experiment = a.ok("POST", "/v1/experiments", """
                {"name": "a-experiment", "dataset": {"id": "%s"}, "seeds": [1], "concurrency": 1,
                 "pipelines": [{"name": "verified", "pipeline": {"strategy": "best_of_n", "n": 3, "model": "sim-math",
                                                                "verifier": "numeric", "maxTokens": 20}}]}"""
                .formatted(dataset), 202).get("id").stringValue();
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.heldJobs() >= 2);
        String experimentRun = a.get("/v1/experiments/" + experiment + "/runs").get(0).get("run").stringValue();
        JsonNode aDataset = a.get("/v1/datasets/" + dataset);

        List<String[]> attempts = List.of(
                new String[] {"GET", "/v1/runs/" + run}, new String[] {"POST", "/v1/runs/" + run + "/cancel"},
                new String[] {"GET", "/v1/runs/" + run + "/trace"}, new String[] {"GET", "/v1/runs/" + run + "/events"},
                new String[] {"GET", "/v1/runs/" + experimentRun}, new String[] {"POST", "/v1/runs/" + experimentRun + "/cancel"},
                new String[] {"GET", "/v1/datasets/" + dataset},
                new String[] {"GET", "/v1/experiments/" + experiment},
                new String[] {"POST", "/v1/experiments/" + experiment + "/cancel"},
                new String[] {"POST", "/v1/experiments/" + experiment + "/resume"},
                new String[] {"GET", "/v1/experiments/" + experiment + "/results"},
                new String[] {"GET", "/v1/experiments/" + experiment + "/results.csv"},
                new String[] {"GET", "/v1/experiments/" + experiment + "/results.txt"},
                new String[] {"GET", "/v1/experiments/" + experiment + "/runs"});
        for (AccessHttp other : List.of(b, AccessHttp.anonymous(port))) {
            for (String[] attempt : attempts) {
                HttpResponse<String> response = other.send(attempt[0], attempt[1], null);
                assertProblem(response, 404, "not-found");
                assertThat(response.body()).doesNotContain("What is 40").doesNotContain("a-private")
                        .doesNotContain("a-experiment");
            }
        }
        JsonNode borrowed = assertProblem(b.send("POST", "/v1/experiments", """
                {"dataset": {"id": "%s"}, "pipelines": [{"name": "p", "pipeline": {"strategy": "best_of_n", "n": 1,
                                                                                  "model": "sim-math"}}]}"""
                .formatted(dataset)), 400, "invalid-request");
        assertThat(fields(borrowed)).containsExactly("dataset.id");
        assertThat(a.get("/v1/datasets").findValuesAsString("id")).contains(dataset);
        assertThat(a.get("/v1/experiments").findValuesAsString("id")).contains(experiment);
        assertThat(b.get("/v1/datasets")).isEmpty();
        assertThat(b.get("/v1/experiments")).isEmpty();

        // the same idempotency key is B's own: a new run of B's, not a replay of A's
        HttpResponse<String> bRun = b.with("Idempotency-Key", "shared-key").send("POST", "/v1/runs", RUN);
        assertThat(bRun.statusCode()).isEqualTo(202);
        assertThat(bRun.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(AccessHttp.JSON.readTree(bRun.body()).get("id").stringValue()).isNotEqualTo(run);

        assertThat(a.get("/v1/runs/" + run).get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(a.get("/v1/runs/" + experimentRun).get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(a.get("/v1/experiments/" + experiment).get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(a.get("/v1/datasets/" + dataset)).isEqualTo(aDataset);

        workers.release();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> a.get("/v1/experiments/" + experiment).get("status").stringValue().equals("SUCCEEDED")
                      && a.get("/v1/runs/" + run).get("status").stringValue().equals("SUCCEEDED"));
        assertThat(a.get("/v1/runs/" + run + "/trace").get("runId").stringValue()).isEqualTo(run);
        assertThat(a.get("/v1/runs/" + run).at("/input/prompt").stringValue()).isEqualTo(PROMPT);
        assertThat(a.get("/v1/experiments/" + experiment + "/results").get("complete").booleanValue()).isTrue();
    }

    @Test
    void identityWithoutTheGatewaySecretIsRefused() throws Exception {
        for (AccessHttp forged : List.of(as("default", "not-the-secret"),
                AccessHttp.anonymous(port).as(Map.of("X-Verigen-Tenant", "default", "X-Verigen-Scopes", "admin")))) {
            assertProblem(forged.send("GET", "/v1/datasets", null), 401, "unauthorized");
            assertProblem(forged.send("GET", "/v1/tenants", null), 401, "unauthorized");
            assertProblem(forged.send("POST", "/v1/tenants", "{\"id\": \"forged\", \"name\": \"F\"}"), 401,
                    "unauthorized");
            assertProblem(forged.send("GET", "/v1/tenants/default/budget", null), 401, "unauthorized");
            assertProblem(forged.send("POST", "/v1/runs", RUN), 401, "unauthorized");
        }
        assertProblem(AccessHttp.anonymous(port).send("GET", "/v1/tenants/forged", null), 404, "not-found");
        assertThat(as("default", SECRET).send("GET", "/v1/datasets", null).statusCode()).isEqualTo(200);
    }
}
