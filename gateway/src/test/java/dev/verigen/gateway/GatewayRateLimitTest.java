package dev.verigen.gateway;

import static dev.verigen.gateway.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.support.access.Scope;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-key rate limits kept in PostgreSQL: two whole gateway instances share one database, as several replicas
 * behind a load balancer would. Limits are one request per minute after the burst, so no request in a test
 * run earns a new slot by the passing of time; time is moved on by moving the bucket's state instead.
 */
class GatewayRateLimitTest {

    private static final int PER_MINUTE = 1;
    private static final int BURST = 5;

    private static FakeOrchestrator orchestrator;
    private static KeyDatabase db;
    private static GatewayInstance first;
    private static GatewayInstance second;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startTwoGateways() {
        orchestrator = new FakeOrchestrator();
        db = KeyDatabase.migrated("gwratelimit");
        Map<String, Object> settings = new HashMap<>(db.settings());
        settings.put("verigen.gateway.orchestrator-url", orchestrator.baseUrl());
        first = GatewayInstance.start(settings);
        second = GatewayInstance.start(settings);
    }

    @AfterAll
    static void stopAll() {
        first.close();
        second.close();
        db.close();
        orchestrator.close();
    }

    private HttpResponse<String> get(GatewayInstance gateway, KeyDatabase.Key key) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.url("/v1/runs/run-1")).header("Authorization", key.bearer())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exactlyTheBurstPassesThenTheNextIs429WithRetryAfterAndLimitHeaders() throws Exception {
        KeyDatabase.Key key = db.createKey("acme", PER_MINUTE, BURST, null, Scope.RUNS);

        for (int i = 1; i <= BURST; i++) {
            HttpResponse<String> ok = get(first, key);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue(String.valueOf(PER_MINUTE));
            assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue(String.valueOf(BURST - i));
        }
        HttpResponse<String> refused = get(first, key);

        assertProblem(refused, 429, "rate-limited");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Integer.parseInt(s)).isBetween(1, 60));
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue(String.valueOf(PER_MINUTE));
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    }

    @Test
    void theLimitHoldsAcrossTwoGatewayInstancesUnderConcurrentLoad() throws Exception {
        KeyDatabase.Key key = db.createKey("acme", PER_MINUTE, BURST, null, Scope.RUNS);

        List<Integer> statuses = concurrently(40, i -> get(i % 2 == 0 ? first : second, key).statusCode());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(BURST);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(40 - BURST);
    }

    @Test
    void timeRefillsTheBucketOneSlotPerInterval() throws Exception {
        KeyDatabase.Key key = db.createKey("acme", PER_MINUTE, BURST, null, Scope.RUNS);
        for (int i = 0; i < BURST; i++) {
            assertThat(get(first, key).statusCode()).isEqualTo(200);
        }
        assertThat(get(second, key).statusCode()).isEqualTo(429);

        // one emission interval (a minute) passes
        db.update("update rate_limits set tat = tat - interval '1 minute' where bucket = 'key:' || ?", key.id());

        assertThat(get(second, key).statusCode()).isEqualTo(200);
        assertThat(get(first, key).statusCode()).isEqualTo(429);
    }

    @Test
    void keysHaveTheirOwnLimitsAndRefusedAttemptsDoNotSpendThem() throws Exception {
        KeyDatabase.Key exhausted = db.createKey("acme", PER_MINUTE, 1, null, Scope.RUNS);
        KeyDatabase.Key other = db.createKey("acme", PER_MINUTE, 2, null, Scope.RUNS, Scope.EXPERIMENTS);
        assertThat(get(first, exhausted).statusCode()).isEqualTo(200);
        assertThat(get(first, exhausted).statusCode()).isEqualTo(429);

        // a wrong secret for other's id, and other's own request to a path its scopes do not cover
        KeyDatabase.Key forged = new KeyDatabase.Key(other.id(), exhausted.token().replace(exhausted.id(), other.id()),
                "acme");
        assertThat(get(first, forged).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(first.url("/v1/tenants")).header("Authorization", other.bearer())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

        assertThat(get(first, other).statusCode()).isEqualTo(200);
        assertThat(get(second, other).statusCode()).isEqualTo(200);
        assertThat(get(first, other).statusCode()).isEqualTo(429);
    }

    private interface Call {
        int status(int index) throws Exception;
    }

    private static List<Integer> concurrently(int n, Call call) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<Integer>) () -> call.status(index)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        }
    }
}
