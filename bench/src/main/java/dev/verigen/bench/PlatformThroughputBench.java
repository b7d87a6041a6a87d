package dev.verigen.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a RUNNING platform (./verigen up) through the gateway with best-of-N runs: POST /v1/runs, then poll
 * GET /v1/runs/{id} until the run ends. A fixed number of runs with a fixed concurrency, after a warm-up; every
 * request has a timeout and the whole bench a deadline, so it always stops. Only localhost is accepted.
 */
public final class PlatformThroughputBench {

    /** LIMITS.md: bare pipeline, 2 Kafka round trips + 1 batched trace row per candidate, on this kind of machine. */
    static final double BARE_PIPELINE_CANDIDATES_PER_S = 38_100;
    static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final URI gateway;
    private final String pool;
    private final int n;
    private final String rewardModel;
    private final Integer maxTokens;
    private final long pollMs;
    private final long seed;
    private final long deadlineNanos;
    private final String tag = Long.toString(System.currentTimeMillis(), 36);

    record RunResult(String status, long latencyNanos, long completionTokens, int candidates, boolean pass) {
    }

    record Round(String label, int runs, int concurrency, double wallS, List<RunResult> results) {
        long ok() {
            return results.stream().filter(r -> r.status().equals("SUCCEEDED")).count();
        }

        long candidates() {
            return results.stream().mapToLong(RunResult::candidates).sum();
        }

        long tokens() {
            return results.stream().mapToLong(RunResult::completionTokens).sum();
        }

        double percentileMs(double p) {
            List<Long> l = new ArrayList<>(results.stream().map(RunResult::latencyNanos).toList());
            if (l.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(l);
            int i = (int) Math.ceil(p * l.size()) - 1;
            return l.get(Math.max(0, Math.min(l.size() - 1, i))) / 1e6;
        }
    }

    PlatformThroughputBench(URI gateway, String pool, int n, String rewardModel, Integer maxTokens, long pollMs,
                            long seed, Duration timeout) {
        this.gateway = gateway;
        this.pool = pool;
        this.n = n;
        this.rewardModel = rewardModel;
        this.maxTokens = maxTokens;
        this.pollMs = pollMs;
        this.seed = seed;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** A question of the run with index i, and its reference answer. */
    record Question(String prompt, long reference) {
    }

    Question question(int i) {
        return question(pool, seed, i);
    }

    static Question question(String pool, long seed, int i) {
        var random = new SplittableRandom(seed * 1_000_003 + i);
        int a = random.nextInt(10, 100);
        int b = random.nextInt(10, 100);
        if (pool.startsWith("sim")) {
            int c = random.nextInt(2, 10);
            return new Question("What is " + a + " + " + b + " * " + c + "?", a + (long) b * c);
        }
        // the arithmetic model's training layout (see ./verigen demo)
        boolean plus = random.nextInt(3) > 0;
        int hi = Math.max(a, b);
        int lo = Math.min(a, b);
        return new Question("What is " + (plus ? a + " + " + b : hi + " - " + lo) + "? Answer with just the number.",
                plus ? a + b : hi - lo);
    }

    String body(int i) {
        Question q = question(i);
        String prompt = q.prompt();
        long reference = q.reference();
        ObjectNode root = json.createObjectNode();
        ObjectNode pipeline = root.putObject("pipeline");
        pipeline.put("strategy", "best_of_n").put("n", n).put("model", pool).put("seed", seed * 100_000 + i);
        pipeline.putObject("verifier").put("type", "numeric");
        if (rewardModel != null) {
            pipeline.put("rewardModel", rewardModel);
        }
        if (maxTokens != null) {
            pipeline.put("maxTokens", maxTokens);
        }
        root.putObject("input").put("prompt", prompt).put("reference", Long.toString(reference));
        root.putObject("budget").put("maxTokens", 20_000 + 300L * n).put("maxCalls", Math.max(64, 4 * n));
        return json.writeValueAsString(root);
    }

    boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    RunResult one(String label, int i) throws Exception {
        long start = System.nanoTime();
        var post = HttpRequest.newBuilder(gateway.resolve("/v1/runs")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json").header("Idempotency-Key", "bench-" + tag + "-" + label + "-" + i)
                .POST(HttpRequest.BodyPublishers.ofString(body(i))).build();
        HttpResponse<String> created = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() / 100 != 2) {
            return new RunResult("HTTP_" + created.statusCode(), System.nanoTime() - start, 0, 0, false);
        }
        String id = json.readTree(created.body()).path("id").asString();
        var get = HttpRequest.newBuilder(gateway.resolve("/v1/runs/" + id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY).GET().build();
        while (!pastDeadline()) {
            Thread.sleep(pollMs);
            HttpResponse<String> got = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (got.statusCode() != 200) {
                continue;
            }
            JsonNode run = json.readTree(got.body());
            String status = run.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
                return new RunResult(status, System.nanoTime() - start,
                        run.path("usage").path("completionTokens").asLong(0), run.path("candidates").size(),
                        "PASS".equals(run.path("result").path("verdict").asString("")));
            }
        }
        return new RunResult("TIMEOUT", System.nanoTime() - start, 0, 0, false);
    }

    Round round(String label, int runs, int concurrency) throws InterruptedException {
        var results = new ConcurrentLinkedQueue<RunResult>();
        var next = new AtomicInteger();
        var errors = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            for (int t = 0; t < concurrency; t++) {
                pool.submit(() -> {
                    int i;
                    while (!pastDeadline() && (i = next.getAndIncrement()) < runs) {
                        try {
                            results.add(one(label, i));
                        } catch (ConnectException e) {
                            if (errors.incrementAndGet() == 1) {
                                System.err.println("cannot reach " + gateway + ": " + e);
                            }
                            results.add(new RunResult("UNREACHABLE", 0, 0, 0, false));
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("run " + label + "-" + i + ": " + e);
                            }
                            results.add(new RunResult("ERROR", 0, 0, 0, false));
                        }
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000 + 60_000), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Round(label, runs, concurrency, wall, List.copyOf(results));
    }

    /** The key the bench authenticates with: {@code VERIGEN_API_KEY}, else the development key {@code ./verigen up} made. */
    static final String API_KEY = apiKey();

    private static String apiKey() {
        String env = System.getenv("VERIGEN_API_KEY");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(".verigen/dev-admin-key")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static URI localGateway(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || !LOCAL.contains(uri.getHost())) {
            throw new IllegalArgumentException("--gateway must be http on localhost (got " + url + ")");
        }
        return uri;
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "gateway", "pool", "n", "runs", "concurrency", "warmup", "rounds", "timeout",
                "poll-ms", "reward-model", "max-tokens", "seed");
        URI gateway = localGateway(args.get("gateway", "http://localhost:8080"));
        String pool = args.get("pool", "sim-math");
        int n = args.getInt("n", 8);
        int runs = args.getInt("runs", 200);
        int concurrency = args.getInt("concurrency", 8);
        int warmup = args.getInt("warmup", Math.max(concurrency * 4, runs / 4));
        int rounds = args.getInt("rounds", 1);
        String rewardModel = args.get("reward-model", pool.startsWith("sim") ? "sim-orm" : "none");
        rewardModel = rewardModel.equals("none") ? null : rewardModel;
        String maxTokensArg = args.get("max-tokens", pool.startsWith("sim") ? "" : "8");
        Integer maxTokens = maxTokensArg.isEmpty() ? null : Integer.valueOf(maxTokensArg);
        var bench = new PlatformThroughputBench(gateway, pool, n, rewardModel, maxTokens, args.getLong("poll-ms", 20),
                args.getLong("seed", 1), Duration.ofSeconds(args.getLong("timeout", 600)));

        System.err.printf("warm-up: %d runs, concurrency %d%n", warmup, concurrency);
        Round warm = bench.round("warmup", warmup, concurrency);
        if (warm.ok() == 0) {
            System.err.println("no warm-up run succeeded (statuses: "
                    + warm.results().stream().map(RunResult::status).distinct().toList() + "); is the platform up at "
                    + gateway + "? (./verigen up)");
            System.exit(2);
        }
        List<Round> measured = new ArrayList<>();
        for (int r = 1; r <= rounds && !bench.pastDeadline(); r++) {
            System.err.printf("round %d/%d: %d runs, concurrency %d%n", r, rounds, runs, concurrency);
            measured.add(bench.round("r" + r, runs, concurrency));
        }

        var report = new Report("platform-" + pool, "Platform throughput through the gateway: pool `" + pool + "`");
        report.para("Best-of-" + n + " runs on pool `" + pool + "`" + (rewardModel == null ? "" : " with reward model `"
                + rewardModel + "`") + ", numeric verifier, through the gateway of a running `./verigen up` "
                + "(the services, Kafka, PostgreSQL and this load generator all on this one machine). " + runs
                + " runs per round at concurrency " + concurrency + " after " + warmup + " warm-up runs; each run is "
                + "POST /v1/runs then GET /v1/runs/{id} every " + bench.pollMs + " ms until it ends. Latency is POST "
                + "to the first poll that sees the run finished. Candidates = candidates in the finished runs; "
                + "tokens = `usage.completionTokens`. Ratio: candidates/s over LIMITS.md's bare pipeline "
                + "(38,100 candidates/s: 2 Kafka round trips + 1 batched trace row per candidate, no services).");
        List<List<String>> rows = new ArrayList<>();
        for (Round r : measured) {
            double cps = r.candidates() / r.wallS();
            long pass = r.results().stream().filter(RunResult::pass).count();
            rows.add(List.of(r.label(), r.ok() + "/" + r.results().size(), Report.f1(r.wallS()),
                    Report.f1(r.ok() / r.wallS()), Report.f0(cps), Report.f0(r.tokens() / r.wallS()),
                    Report.f0(r.percentileMs(0.5)), Report.f0(r.percentileMs(0.95)),
                    Report.pct(pass / (double) Math.max(1, r.ok())),
                    String.format(java.util.Locale.ROOT, "%.4f", cps / BARE_PIPELINE_CANDIDATES_PER_S)));
        }
        report.table(List.of("round", "succeeded", "wall s", "runs/s", "candidates/s", "completion tokens/s",
                "p50 ms", "p95 ms", "selected answer PASS", "candidates/s ÷ bare pipeline"), rows);
        List<String> failures = measured.stream().flatMap(r -> r.results().stream()).map(RunResult::status)
                .filter(s -> !s.equals("SUCCEEDED")).distinct().toList();
        if (!failures.isEmpty()) {
            report.para("Runs that did not succeed ended as: " + String.join(", ", failures) + ".");
        }
        report.emit(Report.command("platform", argv), args.flag("write"));
        System.exit(0);
    }
}
