package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway as a client meets it: keys, scopes, tenants and limits, checked against the running platform. Kept out
 * of {@link PlatformScenarios} so that class stays about pipelines; its tests call in here.
 */
final class FrontDoor {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Platform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    FrontDoor(Platform platform) {
        this.platform = platform;
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
