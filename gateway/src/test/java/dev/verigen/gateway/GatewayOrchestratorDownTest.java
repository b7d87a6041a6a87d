package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.verigen.support.access.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway routed to a port where nothing listens. */
@GatewayTest
class GatewayOrchestratorDownTest {

    private static final int DEAD_PORT = freePort();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwdown");
    private static final KeyDatabase.Key KEY = DB.createKey("acme", Scope.RUNS);

    @DynamicPropertySource
    static void routeToNothing(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", () -> "http://127.0.0.1:" + DEAD_PORT);
        registry.add("verigen.gateway.verifier-url", () -> "http://127.0.0.1:" + DEAD_PORT);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void postWhileOrchestratorIsDownIsProblem503() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/runs"))
                        .header("Authorization", KEY.bearer())
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "k-1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"prompt\":\"1+1\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        var problem = assertProblem(response, 503, "service-unavailable");
        assertThat(problem.path("title").asString()).isEqualTo("Service Unavailable");
        assertThat(response.body()).doesNotContain(String.valueOf(DEAD_PORT));
    }

    @Test
    void getWhileOrchestratorIsDownIsProblem503() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/runs/abc"))
                        .header("Authorization", KEY.bearer()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 503);
    }

    @Test
    void verificationWhileVerifierIsDownIsProblem503NamingTheVerifier() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/verifications"))
                        .header("Authorization", KEY.bearer())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"verifier\":\"numeric\",\"candidate\":\"42\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        var problem = assertProblem(response, 503);
        assertThat(problem.path("detail").asString()).contains("verifier service");
        assertThat(response.body()).doesNotContain(String.valueOf(DEAD_PORT));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
