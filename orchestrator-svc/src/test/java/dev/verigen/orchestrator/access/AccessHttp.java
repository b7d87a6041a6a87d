package dev.verigen.orchestrator.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP against the orchestrator of an access test, as some caller (a set of identity headers, or none). */
final class AccessHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final Map<String, String> headers;

    private AccessHttp(int port, Map<String, String> headers) {
        this.port = port;
        this.headers = headers;
    }

    /** No identity headers: the test configuration's anonymous tenant ({@code default}). */
    static AccessHttp anonymous(int port) {
        return new AccessHttp(port, Map.of());
    }

    AccessHttp as(Map<String, String> identity) {
        return new AccessHttp(port, identity);
    }

    AccessHttp with(String header, String value) {
        var more = new java.util.HashMap<>(headers);
        more.put(header, value);
        return new AccessHttp(port, Map.copyOf(more));
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    JsonNode get(String path) throws Exception {
        return ok("GET", path, null, 200);
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:" + slug);
        return problem;
    }

    static java.util.List<String> fields(JsonNode problem) {
        return problem.get("errors").findValuesAsString("field");
    }
}
