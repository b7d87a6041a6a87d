package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.testing.StreamingClient;
import dev.verigen.contracts.testing.fuzz.FuzzFindings;
import dev.verigen.contracts.testing.fuzz.JsonFuzzer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway as a client meets it: keys, scopes, tenants, limits, the OpenAI client and hostile input, checked
 * against the running platform. Kept out of {@link PlatformScenarios} so that class stays about pipelines; its
 * tests call in here.
 */
final class FrontDoor {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Platform platform;
    private final ToLongFunction<String> count;
    private final HttpClient http = HttpClient.newHttpClient();

    FrontDoor(Platform platform, ToLongFunction<String> count) {
        this.platform = platform;
        this.count = count;
    }

    void keysScopesAndTenantsIsolateData() throws Exception {
        String defaults = json(send("POST", "/v1/runs", platform.adminKey(), PlatformScenarios.body("What is 2 + 3?", "5", 3), Map.of())).get("id").stringValue();
        Tenant acme = newTenant("[\"runs\"]", "");

        // the new tenant's key runs pipelines of its own, and cannot see the default tenant's run, even when it
        // claims the default tenant in the gateway's own identity headers
        HttpResponse<String> own = send("POST", "/v1/runs", acme.key(), PlatformScenarios.body("What is 4 + 4?", "8", 4), Map.of());
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        String ownId = json(own).get("id").stringValue();
        problem(send("GET", "/v1/runs/" + defaults, acme.key(), null,
                Map.of("X-Verigen-Tenant", "default", "X-Verigen-Scopes", "runs,admin")), 404, "not-found");
        problem(send("GET", "/v1/runs/" + defaults + "/trace", acme.key(), null, Map.of()), 404, "not-found");
        problem(send("POST", "/v1/runs/" + defaults + "/cancel", acme.key(), null, Map.of()), 404, "not-found");
        problem(send("GET", "/v1/runs/" + ownId, platform.adminKey(), null, Map.of()), 404, "not-found");
        assertThat(json(send("GET", "/v1/runs/" + ownId, acme.key(), null, Map.of())).get("id")
                .stringValue()).isEqualTo(ownId);

        // scopes: a runs key reaches neither experiments nor the admin API
        problem(send("GET", "/v1/experiments", acme.key(), null, Map.of()), 403, "forbidden");
        problem(send("GET", "/v1/tenants", acme.key(), null, Map.of()), 403, "forbidden");
        problem(send("GET", "/v1/runs/" + ownId, null, null, Map.of()), 401, "unauthorized");
        problem(send("GET", "/v1/runs/" + ownId, acme.key() + "x", null, Map.of()), 401, "unauthorized");

        // revocation bites on the next request
        HttpResponse<String> revoked = send("DELETE", "/v1/tenants/" + acme.id() + "/keys/" + acme.keyId(),
                platform.adminKey(), null, Map.of());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        problem(send("GET", "/v1/runs/" + ownId, acme.key(), null, Map.of()), 401, "unauthorized");
        assertThat(awaitFinished(defaults).get("status").stringValue()).isEqualTo("SUCCEEDED");
    }

    void aKeyOverItsRateLimitGets429() throws Exception {
        Tenant slow = newTenant("[\"runs\"]", "\"requestsPerMinute\": 6, \"burst\": 3");
        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", "/v1/models", slow.key(), null, Map.of()).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = send("GET", "/v1/models", slow.key(), null, Map.of());
        problem(limited, 429, "rate-limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 10L));
    }

    void openAiClientGetsVerifierGuidedAnswers() throws Exception {
        var client = OpenAiClients.client(platform, platform.adminKey());
        var badKey = OpenAiClients.client(platform, "vg_aaaaaaaaaaaa_" + "A".repeat(43));
        try {
            Function<String, JsonNode> run = id -> {
                try {
                    return json(send("GET", "/v1/runs/" + id, platform.adminKey(), null, Map.of()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String runId = OpenAiClients.plainCompletion(client, run);
            OpenAiClients.streamedCompletion(client, runId, run);
            OpenAiClients.errors(client, badKey);
        } finally {
            client.close();
            badKey.close();
        }
    }

    void fuzzedRequestsGetNoServerErrorAndChangeNothing(String dbUrl) throws Exception {
        long runs = count.applyAsLong("select count(*) from runs");
        var findings = new FuzzFindings(List.of(dbUrl, "127.0.0.1:"));
        int sent = 0;
        int accepted = 0; // a mutation can still be a valid request (a null optional field): it makes one run
        for (var endpoint : Map.of("/v1/runs", PlatformScenarios.body("What is 1 + 1?", "2", 1),
                "/v1/chat/completions", "{\"model\": \"bon-4/sim-math\", \"messages\": [{\"role\": \"user\", "
                                        + "\"content\": \"What is 1 + 1?\"}]}").entrySet()) {
            var fuzzer = JsonFuzzer.of(endpoint.getValue(), 7);
            for (var c : fuzzer.sample(120)) {
                HttpResponse<byte[]> response = fuzz(endpoint.getKey(), c.body());
                findings.check("POST " + endpoint.getKey() + " " + c.kind(), "POST " + endpoint.getKey(), c.body(),
                        response);
                accepted += response.statusCode() < 300 ? 1 : 0;
                sent++;
            }
        }
        assertThat(sent).isGreaterThan(100);
        assertThat(findings.all()).isEmpty();
        assertThat(accepted).isLessThan(sent / 4);
        assertThat(count.applyAsLong("select count(*) from runs")).isEqualTo(runs + accepted);
    }

    /** A streaming client that hangs up mid-run, through the gateway: the orchestrator notices and cancels the run. */
    void aStreamingClientThatHangsUpCancelsItsRun() throws Exception {
        String runId;
        URI gateway = URI.create(platform.gatewayUrl());
        // pf-64 on sim-math runs for seconds: long enough to be cancelled, not finished, when the client leaves
        try (StreamingClient client = StreamingClient.post(gateway.getHost(), gateway.getPort(),
                "/v1/chat/completions", Map.of("Authorization", "Bearer " + platform.adminKey()), """
                        {"model": "pf-64/sim-math", "stream": true,
                         "messages": [{"role": "user", "content": "Compute 17 * 23 + 5 - 4 * 6."}]}""")) {
            assertThat(client.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(client.firstData()).contains("\"event\":\"run.started\"");
            runId = client.header("X-Verigen-Run-Id");
            assertThat(runId).isNotNull();
        }
        JsonNode run = awaitFinished(runId);
        assertThat(run.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(run.at("/error/detail").stringValue()).isEqualTo("the client closed the stream");
    }

    private HttpResponse<byte[]> fuzz(String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + platform.adminKey())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length <= JsonFuzzer.ONE_MIB) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        // Expect: 100-continue lets the gateway refuse an oversized body before it is sent; on a connection of its
        // own, so that a connection whose body was never sent does not go back to the shared pool
        try (HttpClient once = HttpClient.newHttpClient()) {
            return once.send(request.expectContinue(true).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private JsonNode awaitFinished(String id) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> json(send("GET", "/v1/runs/" + id, platform.adminKey(), null, Map.of())),
                        run -> run.has("status") && !run.get("status").stringValue().equals("RUNNING"));
    }

    /** A new tenant and a key of it with the given scopes and limits, made with the bootstrap admin key. */
    Tenant newTenant(String scopes, String limits) throws Exception {
        String id = "t" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> tenant = send("POST", "/v1/tenants", platform.adminKey(),
                "{\"id\": \"" + id + "\", \"name\": \"e2e " + id + "\"}", Map.of());
        assertThat(tenant.statusCode()).as(tenant.body()).isEqualTo(201);
        HttpResponse<String> key = send("POST", "/v1/tenants/" + id + "/keys", platform.adminKey(),
                "{\"name\": \"e2e\", \"scopes\": " + scopes + (limits.isEmpty() ? "" : ", " + limits) + "}", Map.of());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(key.body());
        return new Tenant(id, created.get("id").stringValue(), created.get("key").stringValue());
    }

    record Tenant(String id, String keyId, String key) {
    }

    HttpResponse<String> send(String method, String path, String key, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode problem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:" + slug);
        return problem;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
