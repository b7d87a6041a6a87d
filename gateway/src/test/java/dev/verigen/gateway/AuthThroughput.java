package dev.verigen.gateway;

import dev.verigen.gateway.access.ApiKeyStore;
import dev.verigen.gateway.access.KeyCheck;
import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What authentication and the shared rate limit cost per request: a real gateway in front of a FakeOrchestrator,
 * keys in a throw-away PostgreSQL database, measured three ways in one JVM with the same client load:
 * <ol>
 *   <li>the same route with no key check (its paths configured public): the gateway's own ceiling here;</li>
 *   <li>with an API key: one key-check-and-limit statement per request, then the same route;</li>
 *   <li>the statement alone, through the gateway's {@link ApiKeyStore}, without HTTP.</li>
 * </ol>
 * Not a test (no JUnit). Run from the repository root after {@code mvn -q -B -o -pl gateway test-compile}:
 * <pre>
 * mvn -q -B -o -pl gateway dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/cp.txt) \
 *     dev.verigen.gateway.AuthThroughput [seconds=10] [concurrency=32]
 * </pre>
 */
public final class AuthThroughput {

    private record Result(long requests, long failures, double seconds, long[] latenciesNanos) {
        String describe() {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return String.format("%,9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   (%,d requests, %d failed)",
                    requests / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), requests, failures);
        }

        private static double percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
        }
    }

    private interface Call {
        boolean run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        System.setProperty("logging.level.root", "WARN");
        try (KeyDatabase db = KeyDatabase.migrated("gwbench");
             FakeOrchestrator upstream = new FakeOrchestrator(false)) {
            // a limit no run reaches: every request takes its slot, none is refused
            KeyDatabase.Key key = db.createKey("acme", 6_000_000, 1_000_000_000, null, Scope.RUNS);
            Map<String, Object> settings = new HashMap<>(db.settings());
            settings.put("verigen.gateway.orchestrator-url", upstream.baseUrl());
            settings.put("spring.main.banner-mode", "off");
            Map<String, Object> open = new HashMap<>(settings);
            open.put("verigen.gateway.access.public-paths[0]", "/v1/**");

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            System.out.printf("auth throughput: %d s per measurement after %d s warm-up, %d concurrent clients, "
                              + "%d cores%n", seconds, seconds / 2, concurrency,
                    Runtime.getRuntime().availableProcessors());
            try (GatewayInstance noAuth = GatewayInstance.start(open);
                 GatewayInstance gateway = GatewayInstance.start(settings)) {
                HttpRequest plain = HttpRequest.newBuilder(noAuth.url("/v1/runs/run-1")).build();
                HttpRequest keyed = HttpRequest.newBuilder(gateway.url("/v1/runs/run-1"))
                        .header("Authorization", key.bearer()).build();
                // alternated, so a burst of load from elsewhere on the machine does not fall on one side only
                for (int round = 1; round <= 2; round++) {
                    System.out.println("round " + round + ": gateway, no key check    "
                                       + measure(seconds, concurrency, () -> ok(http, plain)).describe());
                    System.out.println("round " + round + ": gateway, key + limit     "
                                       + measure(seconds, concurrency, () -> ok(http, keyed)).describe());
                }
                ApiKeyStore store = gateway.bean(ApiKeyStore.class);
                ApiKeyTokens.Presented presented = ApiKeyTokens.parse(key.token()).orElseThrow();
                Result s = measure(seconds, concurrency, () -> store.check(presented, Optional.of(Scope.RUNS))
                        .block().map(KeyCheck::admitted).orElse(false));
                System.out.println("key check statement only         " + s.describe());
            }
        }
    }

    private static boolean ok(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** {@code concurrency} callers in a closed loop: a warm-up of half the time, then {@code seconds} counted. */
    private static Result measure(int seconds, int concurrency, Call call) throws Exception {
        long warmUpEnd = System.nanoTime() + seconds * 500_000_000L;
        long end = warmUpEnd + seconds * 1_000_000_000L;
        AtomicLong failures = new AtomicLong();
        List<Future<long[]>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> {
                    long[] latencies = new long[1024];
                    int n = 0;
                    for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
                        boolean ok;
                        try {
                            ok = call.run();
                        } catch (Exception e) {
                            ok = false;
                        }
                        if (start < warmUpEnd) {
                            continue;
                        }
                        if (!ok) {
                            failures.incrementAndGet();
                        }
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - start;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> worker : workers) {
                all.add(worker.get());
            }
            long[] latencies = all.stream().flatMapToLong(Arrays::stream).toArray();
            return new Result(latencies.length, failures.get(), seconds, latencies);
        }
    }

    private AuthThroughput() {
    }
}
