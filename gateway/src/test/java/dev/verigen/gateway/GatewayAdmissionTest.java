package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.verigen.gateway.admission.InFlight;
import dev.verigen.support.access.Scope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's admission bounds against an upstream that holds every request until told to answer (a long-poll
 * that waits): requests past the instance's bound get 503, past a tenant's 429, both problem+json with Retry-After,
 * and none of them reaches the upstream; slots come back when responses end, also when the client hangs up.
 */
class GatewayAdmissionTest {

    private static final int INSTANCE = 4;
    private static final int TENANT = 3;

    private static HttpServer upstream;
    private static final AtomicInteger reached = new AtomicInteger();
    private static volatile CountDownLatch release = new CountDownLatch(1);
    private static KeyDatabase db;
    private static GatewayInstance gateway;
    private static KeyDatabase.Key acme;
    private static KeyDatabase.Key beta;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/", exchange -> {
            reached.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"id\":\"run-1\",\"status\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try (exchange) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException hungUp) {
                // the gateway closed the connection: its client went away
            }
        });
        upstream.start();
        db = KeyDatabase.migrated("gwadmission");
        Map<String, Object> settings = new HashMap<>(db.settings());
        settings.put("verigen.gateway.orchestrator-url", "http://127.0.0.1:" + upstream.getAddress().getPort());
        settings.put("verigen.gateway.admission.max-in-flight", INSTANCE);
        settings.put("verigen.gateway.admission.max-in-flight-per-tenant", TENANT);
        settings.put("verigen.gateway.admission.retry-after", "2s");
        gateway = GatewayInstance.start(settings);
        acme = db.createKey("acme", 100_000, 100_000, null, Scope.RUNS);
        beta = db.createKey("beta", 100_000, 100_000, null, Scope.RUNS);
    }

    @AfterEach
    void answerEverything() {
        release.countDown();
        InFlight inFlight = gateway.bean(InFlight.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.total() == 0);
        release = new CountDownLatch(1);
        reached.set(0);
    }

    @AfterAll
    static void stop() {
        release.countDown();
        gateway.close();
        db.close();
        upstream.stop(0);
    }

    private HttpRequest waitFor(KeyDatabase.Key key) {
        return HttpRequest.newBuilder(gateway.url("/v1/runs/run-1?wait=30s")).header("Authorization", key.bearer())
                .build();
    }

    private CompletableFuture<HttpResponse<String>> held(KeyDatabase.Key key) {
        return http.sendAsync(waitFor(key), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pastTheTenantsBoundA429AndPastTheInstancesA503BothWithRetryAfterAndNeitherReachesTheServices()
            throws Exception {
        InFlight inFlight = gateway.bean(InFlight.class);
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < TENANT; i++) {
            waiting.add(held(acme));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reached.get() == TENANT);

        HttpResponse<String> tenantFull = http.send(waitFor(acme), HttpResponse.BodyHandlers.ofString());
        assertProblem(tenantFull, 429, "rate-limited");
        assertThat(tenantFull.headers().firstValue("Retry-After")).hasValue("2");

        waiting.add(held(beta)); // another tenant still gets the instance's last slot
        await().atMost(Duration.ofSeconds(10)).until(() -> reached.get() == INSTANCE);
        HttpResponse<String> instanceFull = http.send(waitFor(beta), HttpResponse.BodyHandlers.ofString());
        assertProblem(instanceFull, 503, "service-unavailable");
        assertThat(instanceFull.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(reached.get()).as("refused requests never reach the services").isEqualTo(INSTANCE);
        assertThat(inFlight.total()).isEqualTo(INSTANCE);
        assertThat(inFlight.tenant("acme")).isEqualTo(TENANT);

        release.countDown();
        for (var w : waiting) {
            assertThat(w.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.total() == 0 && inFlight.tenant("acme") == 0);
        assertThat(http.send(waitFor(acme), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aKnownKeyWhoseTenantIsAtItsBoundIsRefusedWithoutAKeyCheck() throws Exception {
        for (int i = 0; i < TENANT; i++) {
            held(acme);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reached.get() == TENANT);
        String bucket = "select tat::text from rate_limits where bucket = 'key:' || ?";
        String before = db.queryOne(bucket, acme.id());
        assertThat(before).as("the admitted requests were key-checked").isNotNull();

        for (int i = 0; i < 5; i++) {
            assertProblem(http.send(waitFor(acme), HttpResponse.BodyHandlers.ofString()), 429, "rate-limited");
        }

        // each key check spends the key's rate limit (moves its bucket): the refusals spent nothing
        assertThat(db.queryOne(bucket, acme.id())).isEqualTo(before);
        assertThat(reached.get()).isEqualTo(TENANT);
    }

    @Test
    void aClientThatHangsUpGivesItsSlotBack() throws Exception {
        InFlight inFlight = gateway.bean(InFlight.class);
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < TENANT; i++) {
            waiting.add(held(acme));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.tenant("acme") == TENANT && reached.get() == TENANT);

        waiting.forEach(w -> w.cancel(true));
        HttpClient fresh = HttpClient.newHttpClient();
        // the JDK client may keep a cancelled exchange's connection: close them all with the client
        http.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.tenant("acme") == 0 && inFlight.total() == 0);
        var again = fresh.sendAsync(waitFor(acme), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> reached.get() == TENANT + 1);
        release.countDown();
        assertThat(again.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        fresh.close();
    }

    @Test
    void publicPathsAndHealthAreNeverRefused() throws Exception {
        for (int i = 0; i < INSTANCE; i++) {
            held(i % 2 == 0 ? acme : beta);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reached.get() == INSTANCE);

        assertThat(http.send(HttpRequest.newBuilder(gateway.url("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(gateway.url("/v1/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isNotIn(503, 429);
    }
}
