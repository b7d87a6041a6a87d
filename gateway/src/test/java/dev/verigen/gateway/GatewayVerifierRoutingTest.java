package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import dev.verigen.support.access.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** verifier-svc's paths go to the verifier, everything else under /v1 still to the orchestrator. */
@GatewayTest
class GatewayVerifierRoutingTest {

    private static final FakeOrchestrator ORCHESTRATOR = new FakeOrchestrator();
    private static final FakeOrchestrator VERIFIER = new FakeOrchestrator();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwverifier");
    private static final KeyDatabase.Key KEY = DB.createKey("acme", Scope.RUNS);

    @DynamicPropertySource
    static void routeToFakes(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", ORCHESTRATOR::baseUrl);
        registry.add("verigen.gateway.verifier-url", VERIFIER::baseUrl);
    }

    @AfterAll
    static void stopFakes() {
        ORCHESTRATOR.close();
        VERIFIER.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void forgetRequests() {
        ORCHESTRATOR.clear();
        VERIFIER.clear();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", KEY.bearer());
    }

    @Test
    void verificationsGoToTheVerifierWithBodyAndHeaders() throws Exception {
        String json = "{\"verifier\":\"numeric\",\"candidate\":\"Answer: 42\",\"reference\":\"42\"}";
        HttpResponse<String> response = send(to("/v1/verifications?explain=1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"outcome\":\"PASS\"}");
        assertThat(ORCHESTRATOR.received()).isEmpty();
        assertThat(VERIFIER.received()).singleElement().satisfies(r -> {
            assertThat(r.method() + " " + r.path() + "?" + r.query()).isEqualTo("POST /v1/verifications?explain=1");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(new String(r.body())).isEqualTo(json);
        });
    }

    @Test
    void verifierListingAndStatsGoToTheVerifier() throws Exception {
        assertThat(send(to("/v1/verifiers").GET()).statusCode()).isEqualTo(200);
        assertThat(send(to("/v1/verifiers/numeric/stats").GET()).statusCode()).isEqualTo(200);
        assertThat(VERIFIER.received()).extracting(FakeOrchestrator.Received::path)
                .containsExactly("/v1/verifiers", "/v1/verifiers/numeric/stats");
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void runsAndLookalikePathsStillGoToTheOrchestrator() throws Exception {
        assertThat(send(to("/v1/runs/run-1").GET()).statusCode()).isEqualTo(200);
        send(to("/v1/verificationsX").GET());
        send(to("/v1/verifiers-old").GET());
        assertThat(ORCHESTRATOR.received()).extracting(FakeOrchestrator.Received::path)
                .containsExactly("/v1/runs/run-1", "/v1/verificationsX", "/v1/verifiers-old");
        assertThat(VERIFIER.received()).isEmpty();
    }

    @Test
    void verifierErrorsPassThroughAndBodyLimitStillApplies() throws Exception {
        HttpResponse<String> missing = send(to("/v1/verifications/nope").GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(VERIFIER.received()).hasSize(1);

        HttpResponse<String> tooLarge = send(to("/v1/verifications").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024 + 1])));
        assertProblem(tooLarge, 413);
        assertThat(VERIFIER.received()).hasSize(1);
    }
}
