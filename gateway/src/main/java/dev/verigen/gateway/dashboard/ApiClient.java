package dev.verigen.gateway.dashboard;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's only way to data: the public API, called through this gateway with the session's API key. So a page
 * shows exactly what that key may read — the gateway checks the key, its scopes and its rate limit, the orchestrator
 * filters by its tenant — and the dashboard holds no privilege of its own.
 */
@Component
public class ApiClient implements ApplicationListener<WebServerInitializedEvent> {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final DashboardProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile WebClient client;

    public ApiClient(DashboardProperties properties) {
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a management server, not the gateway's port
        }
        String base = properties.apiUrl() == null || properties.apiUrl().isBlank()
                ? "http://127.0.0.1:" + event.getWebServer().getPort() : properties.apiUrl();
        client = WebClient.builder().baseUrl(base)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build();
    }

    /** An answer of the API: its status and JSON body (a problem's body for refusals). */
    public record Answer(int status, JsonNode body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem's detail, or a generic line. */
        public String detail() {
            if (body != null && body.hasNonNull("detail")) {
                return body.get("detail").asString();
            }
            return "the API answered " + status;
        }

        public Object value(JsonMapper json) {
            return ViewJson.of(body);
        }
    }

    public Mono<Answer> get(String key, String path) {
        return exchange(key, HttpMethod.GET, path, null);
    }

    public Mono<Answer> post(String key, String path, Object body) {
        return exchange(key, HttpMethod.POST, path, body);
    }

    public Mono<Answer> put(String key, String path, Object body) {
        return exchange(key, HttpMethod.PUT, path, body);
    }

    public Mono<Answer> delete(String key, String path) {
        return exchange(key, HttpMethod.DELETE, path, null);
    }

    /** A non-JSON body (CSV) as text, with its status. */
    public Mono<Map.Entry<Integer, String>> text(String key, String path) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                        .map(b -> Map.entry(r.statusCode().value(), b)))
                .timeout(TIMEOUT);
    }

    private Mono<Answer> exchange(String key, HttpMethod method, String path, Object body) {
        WebClient.RequestBodySpec spec = client.method(method).uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).accept(MediaType.APPLICATION_JSON);
        WebClient.RequestHeadersSpec<?> request = body == null ? spec
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body instanceof String s ? s
                : json.writeValueAsString(body));
        return request.exchangeToMono(this::answer).timeout(TIMEOUT);
    }

    private Mono<Answer> answer(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(String.class)
                .map(text -> new Answer(status, parse(text)))
                .defaultIfEmpty(new Answer(status, null));
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public JsonMapper json() {
        return json;
    }
}
