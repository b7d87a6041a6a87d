package dev.verigen.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server standing in for the orchestrator behind the dashboard: answers fixed JSON per path (exact path,
 * query ignored) for the tenant the gateway's identity header names; anything else 404 problem+json. Records the
 * requests it received.
 */
final class FakeApi implements AutoCloseable {

    record Received(String method, String path, String query, String tenant, String scopes) {
    }

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What {@code method path} answers for {@code tenant} (200, JSON). */
    void answer(String tenant, String method, String path, String json) {
        answers.put(tenant + " " + method + " " + path, json);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String tenant = exchange.getRequestHeaders().getFirst("X-Verigen-Tenant");
        String path = exchange.getRequestURI().getRawPath();
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), tenant,
                exchange.getRequestHeaders().getFirst("X-Verigen-Scopes")));
        String body = answers.get(tenant + " " + exchange.getRequestMethod() + " " + path);
        if (body == null) {
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            send(exchange, 404, "{\"type\":\"urn:verigen:problem:not-found\",\"title\":\"Not Found\",\"status\":404,"
                                + "\"detail\":\"no such thing\"}");
        } else {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            send(exchange, 200, body);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
