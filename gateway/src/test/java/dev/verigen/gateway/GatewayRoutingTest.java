package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertNoInternals;
import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import dev.verigen.support.access.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway in front of a real HTTP server standing in for the orchestrator; requests carry a valid key. */
@GatewayTest
class GatewayRoutingTest {

    private static final int ONE_MIB = 1024 * 1024;
    private static final FakeOrchestrator ORCHESTRATOR = new FakeOrchestrator();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwrouting");
    private static final KeyDatabase.Key KEY = DB.createKey("acme", Scope.RUNS);

    @DynamicPropertySource
    static void routeToFake(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", ORCHESTRATOR::baseUrl);
    }

    @AfterAll
    static void stopFake() {
        ORCHESTRATOR.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @BeforeEach
    void forgetRequests() {
        ORCHESTRATOR.clear();
    }

    private URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpRequest.Builder to(String pathAndQuery) {
        return HttpRequest.newBuilder(url(pathAndQuery)).header("Authorization", KEY.bearer());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postIsForwardedWithPathQueryHeadersAndBodyAndReturns202WithRelativeLocation() throws Exception {
        String json = "{\"pipeline\":{\"strategy\":\"best_of_n\",\"n\":8},\"input\":{\"prompt\":\"What is 37 + 48?\"}}";
        HttpResponse<String> response = send(to("/v1/runs?dryRun=false&tag=a%20b")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "key-123")
                .header("X-Tenant", "acme")
                .header("X-Verigen-Gateway-Secret", "forged") // no secret is configured here: it must not pass
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"id\":\"run-1\"}");
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/runs/run-1?view=full");
        assertThat(response.headers().firstValue("X-Orchestrator")).hasValue("fake");

        assertThat(ORCHESTRATOR.received()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v1/runs");
            assertThat(r.query()).isEqualTo("dryRun=false&tag=a%20b");
            assertThat(r.header("Idempotency-Key")).isEqualTo("key-123");
            assertThat(r.header("X-Tenant")).isEqualTo("acme");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(new String(r.body())).isEqualTo(json);
            assertThat(r.header("X-Verigen-Tenant")).isEqualTo("acme");
            assertThat(r.headers()).doesNotContainKeys("X-Verigen-Gateway-Secret", "Authorization");
        });
    }

    @Test
    void getIsForwardedAndResponseHeadersPassThrough() throws Exception {
        HttpResponse<String> response = send(to("/v1/runs/run-1").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":\"run-1\",\"status\":\"RUNNING\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-Orchestrator")).hasValue("fake");
        assertThat(ORCHESTRATOR.received()).singleElement()
                .satisfies(r -> assertThat(r.method() + " " + r.path()).isEqualTo("GET /v1/runs/run-1"));
    }

    @Test
    void orchestratorErrorStatusAndBodyPassThroughUnchanged() throws Exception {
        HttpResponse<String> response = send(to("/v1/runs/unknown").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("no run here (orchestrator)");
        assertThat(ORCHESTRATOR.received()).hasSize(1);
    }

    @Test
    void locationPointingElsewhereIsLeftAlone() throws Exception {
        HttpResponse<String> response = send(to("/v1/elsewhere").GET().build());

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("https://docs.example.org/runs");
    }

    @Test
    void unknownPathIsProblem404AndNeverReachesOrchestrator() throws Exception {
        HttpResponse<String> response = send(to("/v2/nothing-here").GET().build());

        var problem = assertProblem(response, 404, "not-found");
        assertThat(problem.path("detail").asString()).contains("/v2/nothing-here");
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void bodyAtTheDefaultLimitPasses() throws Exception {
        byte[] body = new byte[ONE_MIB];
        Arrays.fill(body, (byte) 'x');
        HttpResponse<String> response = send(to("/v1/echo-size")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"bytes\":" + ONE_MIB + "}");
    }

    @Test
    void bodyOverTheDefaultLimitIsProblem413AndNeverReachesOrchestrator() throws Exception {
        byte[] body = new byte[ONE_MIB + 1];
        HttpResponse<String> response = send(to("/v1/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        var problem = assertProblem(response, 413, "payload-too-large");
        assertThat(problem.path("detail").asString()).contains(String.valueOf(ONE_MIB));
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIsProblem413() throws Exception {
        byte[] body = new byte[2 * ONE_MIB];
        HttpResponse<String> response = send(to("/v1/echo-size")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertProblem(response, 413);
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void openApiDocumentIsServedPubliclyAtBothPathsAndNeverReachesTheOrchestrator() throws Exception {
        String document = Files.readString(Path.of("../docs/openapi.yaml"));
        for (String path : new String[] {"/openapi.yaml", "/v1/openapi.yaml"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(url(path)).GET().build());

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/yaml"));
            assertThat(response.body()).isEqualTo(document);
        }
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void healthIsUpAndPrometheusIsNotPublic() throws Exception {
        // public: no key
        HttpResponse<String> health = send(HttpRequest.newBuilder(url("/actuator/health")).GET().build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        // only for the gateway secret as a bearer token (GatewayAccessTest); this gateway has none
        HttpResponse<String> prometheus = send(HttpRequest.newBuilder(url("/actuator/prometheus")).GET().build());
        assertThat(prometheus.statusCode()).isEqualTo(404);
        assertNoInternals(health.body());
    }
}
