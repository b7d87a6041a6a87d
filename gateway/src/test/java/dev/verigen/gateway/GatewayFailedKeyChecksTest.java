package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A flood of bad keys from one address: past the burst of failed checks, its keys are refused with 429 before any
 * database query (the gateway's key-lookup counter stops), while the limit of a valid key is its own affair.
 */
@GatewayTest
class GatewayFailedKeyChecksTest {

    private static final int BURST = 5;
    private static final FakeOrchestrator ORCHESTRATOR = new FakeOrchestrator();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwfailedchecks");
    private static final KeyDatabase.Key VALID = DB.createKey("acme", Scope.RUNS);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", ORCHESTRATOR::baseUrl);
        registry.add("verigen.gateway.verifier-url", ORCHESTRATOR::baseUrl);
        registry.add("verigen.gateway.access.failed-checks.burst", () -> BURST);
        registry.add("verigen.gateway.access.failed-checks.per-minute", () -> 1);
    }

    @AfterAll
    static void stopFakes() {
        ORCHESTRATOR.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> withKey(String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/runs/run-1"))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double lookups() {
        return meters.get("verigen.gateway.key.lookups").counter().count();
    }

    @Test
    void aFloodOfBadKeysCostsNoDatabaseQueryPastTheBurst() throws Exception {
        // a valid key first: successes are not counted against the address
        assertThat(withKey(VALID.bearer()).statusCode()).isEqualTo(200);
        double before = lookups();

        for (int i = 0; i < BURST; i++) {
            String guess = ApiKeyTokens.generate(new SecureRandom()).token();
            assertProblem(withKey("Bearer " + guess), 401, "unauthorized");
        }
        assertThat(lookups() - before).isEqualTo(BURST);

        for (int i = 0; i < 200; i++) {
            String guess = ApiKeyTokens.generate(new SecureRandom()).token();
            HttpResponse<String> refused = withKey(i % 2 == 0 ? "Bearer " + guess : "Bearer not-even-a-key");
            assertProblem(refused, 429, "rate-limited");
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        }
        assertThat(lookups() - before).as("database lookups during the flood").isEqualTo(BURST);
        // the address as a whole waits, a valid key from it included: its key is not looked up either
        assertProblem(withKey(VALID.bearer()), 429, "rate-limited");
        assertThat(lookups() - before).isEqualTo(BURST);
        assertThat(ORCHESTRATOR.received()).hasSize(1);
    }
}
