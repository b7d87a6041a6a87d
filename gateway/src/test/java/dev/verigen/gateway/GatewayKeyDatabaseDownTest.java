package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The gateway starts without its key database and fails closed: requests that need a key get 503 problem+json
 * (with nothing about JDBC, hosts or ports in it) while the database is unreachable or not migrated yet, and are
 * served as soon as it is, without a restart.
 */
class GatewayKeyDatabaseDownTest {

    private static final String ANY_KEY = ApiKeyTokens.generate(new SecureRandom()).token();
    private static final int DEAD_PORT = freePort();

    private static FakeOrchestrator orchestrator;
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() {
        orchestrator = new FakeOrchestrator();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        orchestrator.close();
    }

    private static GatewayInstance startGateway(String dbUrl) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.datasource.url", dbUrl);
        settings.put("verigen.gateway.orchestrator-url", orchestrator.baseUrl());
        return GatewayInstance.start(settings);
    }

    /**
     * Each request on a connection of its own, with a deadline: on a loaded machine a pooled connection was once
     * reused as the server let it go, and the request then waited forever (seen once, under ./verigen test with
     * other suites running beside it).
     */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try (HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return fresh.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void unreachableDatabase() throws Exception {
        try (GatewayInstance down = startGateway("jdbc:postgresql://127.0.0.1:" + DEAD_PORT + "/verigen")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(down.url("/v1/runs/run-1"))
                    .header("Authorization", "Bearer " + ANY_KEY));

            JsonNode problem = assertProblem(response, 503, "service-unavailable");
            assertThat(response.body()).doesNotContain(String.valueOf(DEAD_PORT)).doesNotContain("verigen\"");
            assertThat(problem.path("detail").asString()).isEqualTo("API keys cannot be checked right now. Retry later.");

            // what needs no database still works: public paths, and refusing requests without a (well-formed) key
            assertThat(send(HttpRequest.newBuilder(down.url("/openapi.yaml"))).statusCode()).isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(down.url("/actuator/health/liveness"))).statusCode())
                    .isEqualTo(200);
            assertProblem(send(HttpRequest.newBuilder(down.url("/v1/runs/run-1"))), 401, "unauthorized");
            assertProblem(send(HttpRequest.newBuilder(down.url("/v1/runs/run-1"))
                    .header("Authorization", "Bearer nonsense")), 401, "unauthorized");
            // out of rotation while it cannot serve
            assertThat(send(HttpRequest.newBuilder(down.url("/actuator/health/readiness"))).statusCode())
                    .isEqualTo(503);
        }
        assertThat(orchestrator.received()).isEmpty();
    }

    @Test
    void databaseNotMigratedYetThenMigrated() throws Exception {
        try (KeyDatabase db = KeyDatabase.empty("gwunmigrated")) {
            gateway = startGateway(db.url());

            HttpResponse<String> early = send(HttpRequest.newBuilder(gateway.url("/v1/runs/run-1"))
                    .header("Authorization", "Bearer " + ANY_KEY));
            assertProblem(early, 503, "service-unavailable");

            db.migrate();
            KeyDatabase.Key key = db.createKey("acme", Scope.RUNS);

            HttpResponse<String> later = send(HttpRequest.newBuilder(gateway.url("/v1/runs/run-1"))
                    .header("Authorization", key.bearer()));
            assertThat(later.statusCode()).isEqualTo(200);
            assertThat(orchestrator.received()).singleElement()
                    .satisfies(r -> assertThat(r.header("X-Verigen-Tenant")).isEqualTo("acme"));

            gateway.close(); // before the database is dropped under its pool
            gateway = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
