package dev.verigen.worker.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server that replays what OpenAI-compatible servers answer. It records every request (path,
 * Authorization header, JSON body) and the most requests it had in flight at once.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Recorded(String path, String authorization, JsonNode body) {
        public int n() {
            return body.path("n").asInt(1);
        }
    }

    /** @param events when not null, the reply is a server-sent event stream of these data lines, one every delay */
    public record Reply(int status, String body, long delayMs, List<String> events) {
        public static Reply ok(String body) {
            return new Reply(200, body, 0, null);
        }

        public static Reply status(int status, String body) {
            return new Reply(status, body, 0, null);
        }

        /** A stream of {@code data:} events (JSON chunks, then {@code [DONE]}), one every {@code delayMs}. */
        public static Reply events(List<String> events, long delayMs) {
            return new Reply(200, "", delayMs, List.copyOf(events));
        }

        public Reply delayed(long ms) {
            return new Reply(status, body, ms, events);
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger hangUps = new AtomicInteger();
    private final AtomicInteger eventsSent = new AtomicInteger();
    private volatile Function<Recorded, Reply> handler = r -> Reply.status(500, "no handler");

    public FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The replies, by request; called once per request, in the order the requests arrive. */
    public FakeOpenAiServer replying(Function<Recorded, Reply> handler) {
        this.handler = handler;
        return this;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Recorded> requests() {
        return requests;
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Streams the client closed before their end. */
    public int hangUps() {
        return hangUps.get();
    }

    /** Stream events written so far, over all requests. */
    public int eventsSent() {
        return eventsSent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var recorded = new Recorded(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(raw));
            requests.add(recorded);
            Reply reply = handler.apply(recorded);
            if (reply.events() != null) {
                stream(exchange, reply);
                return;
            }
            if (reply.delayMs() > 0) {
                Thread.sleep(reply.delayMs());
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout test); nothing to answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void stream(HttpExchange exchange, Reply reply) throws InterruptedException {
        try {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            var out = exchange.getResponseBody();
            for (String event : reply.events()) {
                Thread.sleep(reply.delayMs());
                out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                eventsSent.incrementAndGet();
            }
        } catch (IOException e) {
            hangUps.incrementAndGet(); // the client closed the connection mid-stream
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
