package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** API keys, scopes and identity forwarding: real HTTP through the gateway to fakes, keys in real PostgreSQL. */
@GatewayTest
class GatewayAccessTest {

    private static final String SECRET = "gateway-secret-for-tests";
    private static final FakeOrchestrator ORCHESTRATOR = new FakeOrchestrator();
    private static final FakeOrchestrator VERIFIER = new FakeOrchestrator();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwaccess");
    private static final KeyDatabase.Key RUNS = DB.createKey("acme", Scope.RUNS);
    private static final KeyDatabase.Key EXPERIMENTS = DB.createKey("acme", Scope.EXPERIMENTS);
    private static final KeyDatabase.Key ADMIN_AND_RUNS = DB.createKey("platform", Scope.ADMIN, Scope.RUNS);
    private static final KeyDatabase.Key OPERATOR = DB.createKey("platform", Scope.OPERATOR);
    private static final KeyDatabase.Key SMALL_BODIES = DB.createKey("acme", 100_000, 10_000, 100L, Scope.RUNS);
    private static final KeyDatabase.Key LARGE_BODIES = DB.createKey("acme", 100_000, 10_000, 3L << 20, Scope.RUNS);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", ORCHESTRATOR::baseUrl);
        registry.add("verigen.gateway.verifier-url", VERIFIER::baseUrl);
        registry.add("verigen.gateway.access.gateway-secret", () -> SECRET);
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

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * An upload the gateway refuses before reading it, on a connection of its own: a connection whose body was
     * never sent must not go back to the shared client's pool, where the next request could wait on it forever.
     */
    private static HttpResponse<String> refusedUpload(HttpRequest.Builder request, byte[] body) throws Exception {
        try (HttpClient once = HttpClient.newHttpClient()) {
            return once.send(request.expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void validKeyIsRoutedWithTheGatewaysIdentityAndForgedIdentityAndCredentialsAreGone() throws Exception {
        HttpResponse<String> response = send(to("/v1/runs/run-1")
                .header("Authorization", RUNS.bearer())
                .header("X-Verigen-Tenant", "victim")
                .header("x-verigen-key-id", "someone-else")
                .header("X-VERIGEN-SCOPES", "admin")
                .header("X-Verigen-Gateway-Secret", "a guess"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("100000");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isPresent();
        assertThat(ORCHESTRATOR.received()).singleElement().satisfies(r -> {
            assertThat(r.headers().get("X-Verigen-Tenant")).containsExactly("acme");
            assertThat(r.headers().get("X-Verigen-Key-Id")).containsExactly(RUNS.id());
            assertThat(r.headers().get("X-Verigen-Scopes")).containsExactly("runs");
            assertThat(r.headers().get("X-Verigen-Gateway-Secret")).containsExactly(SECRET);
            assertThat(r.headers()).doesNotContainKeys("Authorization", "X-Api-Key");
        });
    }

    @Test
    void theVerifierRouteGetsTheSameIdentityAndXApiKeyWorksLikeBearer() throws Exception {
        HttpResponse<String> response = send(to("/v1/verifications")
                .header("X-Api-Key", ADMIN_AND_RUNS.token())
                .header("X-Verigen-Tenant", "victim")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"verifier\":\"numeric\",\"candidate\":\"42\"}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(VERIFIER.received()).singleElement().satisfies(r -> {
            assertThat(r.headers().get("X-Verigen-Tenant")).containsExactly("platform");
            assertThat(r.headers().get("X-Verigen-Key-Id")).containsExactly(ADMIN_AND_RUNS.id());
            assertThat(r.headers().get("X-Verigen-Scopes")).containsExactly("runs,admin");
            assertThat(r.headers().get("X-Verigen-Gateway-Secret")).containsExactly(SECRET);
            assertThat(r.headers()).doesNotContainKeys("Authorization", "X-Api-Key");
        });
    }

    @Test
    void missingKeyIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> response = send(to("/v1/runs/run-1"));

        JsonNode problem = assertProblem(response, 401, "unauthorized");
        assertThat(problem.path("detail").asString()).contains("Authorization: Bearer");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer"));
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void malformedUnknownWrongSecretAndRevokedKeysAreAll401WithTheSameDetail() throws Exception {
        KeyDatabase.Key revoked = DB.createKey("acme", Scope.RUNS);
        DB.revoke(revoked);
        String unknown = ApiKeyTokens.generate(new SecureRandom()).token();
        String wrongSecret = "vg_" + RUNS.id() + "_" + ApiKeyTokens.generate(new SecureRandom()).token().substring(16);
        List<String> authorizations = List.of("Bearer not-a-key", "Basic dXNlcjpwYXNz", "Bearer " + unknown,
                "Bearer " + wrongSecret, revoked.bearer());

        for (String authorization : authorizations) {
            HttpResponse<String> response = send(to("/v1/runs/run-1").header("Authorization", authorization));

            JsonNode problem = assertProblem(response, 401, "unauthorized");
            assertThat(problem.path("detail").asString()).as(authorization).isEqualTo("The API key is not valid.");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void revocationBitesOnTheVeryNextRequest() throws Exception {
        KeyDatabase.Key key = DB.createKey("acme", Scope.RUNS);
        assertThat(send(to("/v1/runs/run-1").header("Authorization", key.bearer())).statusCode()).isEqualTo(200);

        DB.revoke(key);

        assertProblem(send(to("/v1/runs/run-1").header("Authorization", key.bearer())), 401, "unauthorized");
        assertThat(ORCHESTRATOR.received()).hasSize(1);
    }

    @Test
    void keyWithoutThePathsScopeIs403NamingTheScope() throws Exception {
        record Case(KeyDatabase.Key key, String path, String scope) {
        }
        List<Case> cases = List.of(new Case(EXPERIMENTS, "/v1/runs/run-1", "runs"),
                new Case(EXPERIMENTS, "/v1/chat/completions", "runs"),
                new Case(EXPERIMENTS, "/v1/models", "runs"),
                new Case(EXPERIMENTS, "/v1/verifiers", "runs"),
                new Case(RUNS, "/v1/experiments", "experiments"),
                new Case(RUNS, "/v1/datasets/d-1", "experiments"),
                new Case(RUNS, "/v1/tenants", "operator"),
                new Case(ADMIN_AND_RUNS, "/v1/tenants", "operator"),
                new Case(ADMIN_AND_RUNS, "/v1/platform/health", "operator"),
                new Case(RUNS, "/v1/tenants/acme/keys", "admin"));

        for (Case c : cases) {
            HttpResponse<String> response = send(to(c.path()).header("Authorization", c.key().bearer()));

            JsonNode problem = assertProblem(response, 403, "forbidden");
            assertThat(problem.path("detail").asString()).as(c.path()).contains("'" + c.scope() + "'");
        }
        assertThat(ORCHESTRATOR.received()).isEmpty();
        assertThat(VERIFIER.received()).isEmpty();
    }

    @Test
    void pathsNoScopeNamesNeedAValidKeyOfAnyScopeAndAreRoutedOn() throws Exception {
        assertThat(send(to("/v1/no-such-api").header("Authorization", EXPERIMENTS.bearer())).statusCode())
                .isEqualTo(404); // the orchestrator's answer, passed through
        assertThat(send(to("/v1/runsX").header("Authorization", EXPERIMENTS.bearer())).statusCode()).isEqualTo(404);
        assertThat(ORCHESTRATOR.received()).extracting(FakeOrchestrator.Received::path)
                .containsExactly("/v1/no-such-api", "/v1/runsX");

        assertProblem(send(to("/v1/no-such-api")), 401, "unauthorized");
        assertProblem(send(to("/v2/anything")), 401, "unauthorized");
    }

    @Test
    void anOperatorKeyPassesWhereAdminIsNeededAndOnItsOwnPaths() throws Exception {
        for (String path : List.of("/v1/tenants/acme/keys", "/v1/tenants", "/v1/platform/health")) {
            send(to(path).header("Authorization", OPERATOR.bearer()));
        }
        assertThat(ORCHESTRATOR.received()).extracting(FakeOrchestrator.Received::path)
                .containsExactly("/v1/tenants/acme/keys", "/v1/tenants", "/v1/platform/health");
        assertThat(ORCHESTRATOR.received().getFirst().header("X-Verigen-Scopes")).isEqualTo("operator");
    }

    @Test
    void publicPathsNeedNoKey() throws Exception {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/openapi.yaml", "/v1/openapi.yaml")) {
            assertThat(send(to(path)).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void actuatorEndpointsOtherThanHealthAreNotPublicWhateverKeyIsSent() throws Exception {
        for (String path : List.of("/actuator/prometheus", "/actuator/info", "/actuator", "/actuator/env",
                "/actuator/metrics")) {
            assertProblem(send(to(path)), 404, "not-found");
            assertProblem(send(to(path).header("Authorization", ADMIN_AND_RUNS.bearer())), 404, "not-found");
            assertProblem(send(to(path).header("Authorization", "Bearer not-the-secret")), 404, "not-found");
        }
        // the platform's scraper presents the gateway secret as a bearer token
        HttpResponse<String> metrics = send(to("/actuator/prometheus").header("Authorization", "Bearer " + SECRET));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("verigen_gateway_key_lookups_total");
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void pathsThatOnlyNormalisationWouldMapAreRefused() throws Exception {
        for (String path : List.of("/v1/runs/../tenants", "/v1/runs/%2e%2e/tenants", "/v1//tenants",
                "/v1/runs/..;/tenants", "/v1/runs%2F..%2Ftenants", "/v1/models/..%2Ftenants",
                "/v1/models/bon-8%2F..", "/v1/models/a%2F%2Fb", "/v1/runs/x%2Fy")) {
            HttpResponse<String> response = send(to(path).header("Authorization", RUNS.bearer()));

            JsonNode problem = assertProblem(response, 400, "invalid-request");
            assertThat(problem.path("field").asString()).as(path).isEqualTo("path");
        }
        assertThat(ORCHESTRATOR.received()).isEmpty();
    }

    @Test
    void aModelIdMayHoldAnEncodedSlashAsOpenAiClientsSendIt() throws Exception {
        send(to("/v1/models/bon-8%2Fsim-math").header("Authorization", RUNS.bearer()));

        assertThat(ORCHESTRATOR.received()).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/v1/models/bon-8%2Fsim-math"));
    }

    @Test
    void aKeysOwnBodyLimitAppliesToDeclaredAndChunkedBodies() throws Exception {
        assertThat(send(to("/v1/echo-size").header("Authorization", SMALL_BODIES.bearer())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100]))).body()).isEqualTo("{\"bytes\":100}");

        JsonNode declared = assertProblem(send(to("/v1/echo-size").header("Authorization", SMALL_BODIES.bearer())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[101]))), 413, "payload-too-large");
        assertThat(declared.path("detail").asString()).contains("100 bytes");

        JsonNode chunked = assertProblem(send(to("/v1/echo-size").header("Authorization", SMALL_BODIES.bearer())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[5000])))),
                413, "payload-too-large");
        assertThat(chunked.path("detail").asString()).contains("100 bytes");
        assertThat(ORCHESTRATOR.received()).hasSize(1);
    }

    @Test
    void aKeyMayAllowMoreThanTheGlobalLimitButAnonymousRequestsGetTheGlobalOneFirst() throws Exception {
        byte[] twoMiB = new byte[2 << 20];
        HttpResponse<String> large = send(to("/v1/echo-size").header("Authorization", LARGE_BODIES.bearer())
                .POST(HttpRequest.BodyPublishers.ofByteArray(twoMiB)));
        assertThat(large.body()).isEqualTo("{\"bytes\":" + twoMiB.length + "}");

        // just over the 1 MiB default: a key without a limit of its own, and a request without any key (413 before
        // it could be 401). Expect: 100-continue lets the gateway refuse before the body is sent, so a loaded
        // machine cannot turn the refusal into a connection reset mid-upload.
        byte[] overDefault = new byte[(1 << 20) + 1];
        assertProblem(refusedUpload(to("/v1/echo-size").header("Authorization", RUNS.bearer()), overDefault),
                413, "payload-too-large");
        assertProblem(refusedUpload(to("/v1/echo-size"), overDefault), 413, "payload-too-large");
        assertThat(ORCHESTRATOR.received()).hasSize(1);
    }
}
