package dev.verigen.reward.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.verigen.reward.scoring.ScorerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local HTTP server (JDK {@code com.sun.net.httpserver}) that answers as a reward server would, replaying the
 * response shapes of vLLM and text-embeddings-inference, and records every request it gets.
 */
final class ReplayServer implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Request(String method, String path, String body, String authorization) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    record Response(int status, String body, Map<String, String> headers) {
        static Response ok(String body) {
            return new Response(200, body, Map.of());
        }

        static Response status(int status, String body) {
            return new Response(status, body, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger hits = new AtomicInteger();
    private volatile Function<Request, Response> handler;

    ReplayServer(Function<Request, Response> handler) throws IOException {
        this.handler = handler;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers the i-th request (0-based) with {@code responses[min(i, last)]}. */
    static ReplayServer sequence(Response... responses) throws IOException {
        AtomicInteger next = new AtomicInteger();
        return new ReplayServer(r -> responses[Math.min(next.getAndIncrement(), responses.length - 1)]);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            hits.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                    exchange.getRequestHeaders().getFirst("Authorization"));
            requests.add(request);
            Response response = handler.apply(request);
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return requests;
    }

    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A registry with the scorers that {@code verigen.reward.*} properties configure, bound exactly as the service binds
     * them (keys relative to {@code verigen.reward}, e.g. {@code scorers.rm.type}).
     */
    static ScorerRegistry registry(Map<String, String> properties) {
        var source = new java.util.HashMap<String, String>();
        properties.forEach((k, v) -> source.put("verigen.reward." + k, v));
        RewardScorersProperties bound = new Binder(new MapConfigurationPropertySource(source))
                .bindOrCreate("verigen.reward", RewardScorersProperties.class);
        var scorers = new ConfiguredScorers(bound,
                List.of(new VllmRewardBackend(), new VllmPoolingBackend(), new TeiRerankBackend()),
                (io.micrometer.core.instrument.MeterRegistry) null);
        return new ScorerRegistry(List.of(), List.of(scorers));
    }
}
