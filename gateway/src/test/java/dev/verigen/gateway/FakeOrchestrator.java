package dev.verigen.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A small real HTTP server standing in for the orchestrator; records every request it receives. */
final class FakeOrchestrator implements AutoCloseable {

    record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final HttpServer server;
    private final boolean recording;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeOrchestrator() {
        this(true);
    }

    /** @param recording false for load tests: nothing is kept, and requests are served concurrently */
    FakeOrchestrator(boolean recording) {
        this.recording = recording;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        if (!recording) {
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        }
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    void clear() {
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        String path = exchange.getRequestURI().getRawPath();
        if (recording) {
            received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), headers,
                    body));
        }

        var out = exchange.getResponseHeaders();
        out.add("X-Orchestrator", "fake");
        String method = exchange.getRequestMethod();
        if (method.equals("POST") && path.equals("/v1/runs")) {
            out.add("Content-Type", "application/json");
            out.add("Location", baseUrl() + "/v1/runs/run-1?view=full");
            send(exchange, 202, "{\"id\":\"run-1\"}");
        } else if (method.equals("GET") && path.equals("/v1/runs/run-1")) {
            out.add("Content-Type", "application/json");
            send(exchange, 200, "{\"id\":\"run-1\",\"status\":\"RUNNING\"}");
        } else if (path.equals("/v1/elsewhere")) {
            out.add("Location", "https://docs.example.org/runs");
            send(exchange, 303, "");
        } else if (method.equals("POST") && path.equals("/v1/verifications")) {
            // what verifier-svc answers; the routing test points a second instance at the verifier route
            out.add("Content-Type", "application/json");
            send(exchange, 200, "{\"outcome\":\"PASS\"}");
        } else if (method.equals("GET") && path.startsWith("/v1/verifiers")) {
            out.add("Content-Type", "application/json");
            send(exchange, 200, "{\"verifiers\":[]}");
        } else if (method.equals("POST") && path.equals("/v1/echo-size")) {
            out.add("Content-Type", "application/json");
            send(exchange, 200, "{\"bytes\":" + body.length + "}");
        } else {
            out.add("Content-Type", "application/problem+json");
            send(exchange, 404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no run here (orchestrator)\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
