package dev.verigen.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.verigen.support.access.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Run progress streams ({@code GET /v1/runs/{id}/events}, text/event-stream) pass through the gateway as they come:
 * each event is flushed on, not buffered until the stream ends, and a stream may last longer than the route's
 * response timeout (which bounds the wait for the response headers only).
 */
@GatewayTest
class GatewayEventStreamTest {

    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    private static final CountDownLatch FIRST_EVENT_SEEN = new CountDownLatch(1);
    private static final HttpServer UPSTREAM = upstream();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwevents");
    private static final KeyDatabase.Key KEY = DB.createKey("acme", Scope.RUNS);

    @DynamicPropertySource
    static void routeToUpstream(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", () -> "http://127.0.0.1:" + UPSTREAM.getAddress().getPort());
        registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", RESPONSE_TIMEOUT::toString);
    }

    @AfterAll
    static void stopUpstream() {
        FIRST_EVENT_SEEN.countDown();
        UPSTREAM.stop(0);
    }

    @LocalServerPort
    int port;

    @Test
    void eventsArriveOneByOneAndTheStreamOutlivesTheResponseTimeout() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // a cold gateway's first proxied request can take longer than the short timeout this test sets
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ping"))
                        .header("Authorization", KEY.bearer()).build(),
                HttpResponse.BodyHandlers.discarding());

        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/runs/run-1/events"))
                .header("Accept", "text/event-stream").header("Authorization", KEY.bearer()).build();
        CompletableFuture<HttpResponse<Stream<String>>> response = http
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Void> done = response.thenAcceptAsync(r -> r.body().forEach(lines::add),
                command -> Thread.ofVirtual().start(command));

        // the upstream holds its second event back until the client has seen the first: only a flushing gateway passes
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event:run.started"));
        assertThat(lines).doesNotContain("event:run.finished");
        FIRST_EVENT_SEEN.countDown();

        await().atMost(Duration.ofSeconds(10)).until(done::isDone);
        assertThat(response.join().statusCode()).isEqualTo(200);
        assertThat(response.join().headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(lines).containsSubsequence("id:1", "event:run.started", "id:2", "event:run.finished");
    }

    /**
     * Stands in for the orchestrator's event stream: the first event at once, the second only after the client saw
     * the first and several response timeouts have passed.
     */
    private static HttpServer upstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/ping", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.createContext("/v1/runs/run-1/events", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    write(out, "id:1\nevent:run.started\ndata:{}\n\n");
                    if (FIRST_EVENT_SEEN.await(10, TimeUnit.SECONDS)) {
                        // the upstream run takes a while: past the gateway's response timeout, several times over
                        new CountDownLatch(1).await(RESPONSE_TIMEOUT.toMillis() * 5 / 2, TimeUnit.MILLISECONDS);
                        write(out, "id:2\nevent:run.finished\ndata:{\"status\":\"SUCCEEDED\"}\n\n");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
