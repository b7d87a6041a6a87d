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
 * Drives a RUNNING platform (./verigen up) through the gateway with best-of-N runs: POST /v1/runs (or
 * POST /v1/runs:batch with {@code --batch K}), then GET /v1/runs/{id}?wait=30s, which answers when the run ends
 * ({@code --client poll} polls every {@code --poll-ms} instead, as the bench did before the long-poll existed). A fixed
 * number of runs with a fixed concurrency, after a warm-up; every request has a timeout and the whole bench a
 * deadline, so it always stops. Only localhost is accepted. Each round also reads the CPU time every platform process
 * spent ({@link ProcessCpu}), the figure that stays comparable on a shared machine.
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
    private final boolean longPoll;
    private final int batch;
    /** Requests the platform refused for being full (and that were sent again after its Retry-After). */
    final AtomicInteger refusals = new AtomicInteger();
    /** Requests that timed out at the client and were sent again (submissions carry idempotency keys). */
    final AtomicInteger timeouts = new AtomicInteger();
    private final long seed;
    private final long deadlineNanos;
    private final String tag = Long.toString(System.currentTimeMillis(), 36);
    private final ProcessCpu cpu = new ProcessCpu(java.nio.file.Path.of(".verigen/pids"), "verigen");

    record RunResult(String status, long latencyNanos, long completionTokens, int candidates, boolean pass) {
    }

    record Round(String label, int runs, int concurrency, double wallS, List<RunResult> results,
                 java.util.Map<String, Double> cpuS) {
        double cpuTotalS() {
            return cpuS.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double cpuMsPerCandidate() {
            return candidates() == 0 ? Double.NaN : cpuTotalS() * 1000 / candidates();
        }

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
                            boolean longPoll, int batch, long seed, Duration timeout) {
        this.longPoll = longPoll;
        this.batch = Math.max(1, batch);
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

    ObjectNode body(int i) {
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
        return root;
    }

    /** Gives the bench's tenant (the development key's, {@code default}) a budget of its own. */
    void putTenantBudget(String maxTokens) throws Exception {
        var put = HttpRequest.newBuilder(gateway.resolve("/v1/tenants/default/budget")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"maxTokens\": " + Long.parseLong(maxTokens) + "}")).build();
        HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT /v1/tenants/default/budget answered " + r.statusCode() + ": " + r.body());
        }
    }

    boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    private String key(String label, int i) {
        return "bench-" + tag + "-" + label + "-" + i;
    }

    /** Submits runs {@code first .. first+count-1} and waits for each; one result per run. */
    List<RunResult> submitAndWait(String label, int first, int count) throws Exception {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>(count);
        List<RunResult> out = new ArrayList<>(count);
        if (batch == 1) {
            var post = HttpRequest.newBuilder(gateway.resolve("/v1/runs")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json").header("Idempotency-Key", key(label, first))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(first)))).build();
            HttpResponse<String> created = admitted(post);
            if (created.statusCode() / 100 != 2) {
                return List.of(new RunResult("HTTP_" + created.statusCode(), System.nanoTime() - start, 0, 0, false));
            }
            ids.add(json.readTree(created.body()).path("id").asString());
        } else {
            ObjectNode req = json.createObjectNode();
            var items = req.putArray("runs");
            for (int i = first; i < first + count; i++) {
                ObjectNode item = body(i);
                item.put("idempotencyKey", key(label, i));
                items.add(item);
            }
            var post = HttpRequest.newBuilder(gateway.resolve("/v1/runs:batch")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(req))).build();
            HttpResponse<String> created = admitted(post);
            if (created.statusCode() / 100 != 2) {
                for (int i = 0; i < count; i++) {
                    out.add(new RunResult("HTTP_" + created.statusCode(), System.nanoTime() - start, 0, 0, false));
                }
                return out;
            }
            for (JsonNode r : json.readTree(created.body()).path("runs")) {
                ids.add(r.path("id").asString());
            }
        }
        // every run is waited for at once (virtual threads): each latency is its own POST-to-finished time
        List<java.util.concurrent.Future<RunResult>> waits = new ArrayList<>(ids.size());
        try (ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                waits.add(waiters.submit(() -> await(id, start)));
            }
            for (var w : waits) {
                out.add(w.get());
            }
        }
        return out;
    }

    /**
     * Sends a request again while the platform answers that it is full (429 or 503 with {@code Retry-After}: the
     * gateway's admission bounds), after the wait it names; a submission carries idempotency keys, so a retry never
     * makes a second run. How many refusals the round met is counted.
     */
    private HttpResponse<String> admitted(HttpRequest request) throws Exception {
        while (true) {
            HttpResponse<String> got;
            try {
                got = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                if (pastDeadline()) {
                    throw e;
                }
                timeouts.incrementAndGet(); // queued behind thousands of others: ask again, as a client would
                continue;
            }
            var retryAfter = got.headers().firstValue("Retry-After");
            if ((got.statusCode() != 429 && got.statusCode() != 503) || retryAfter.isEmpty() || pastDeadline()) {
                return got;
            }
            refusals.incrementAndGet();
            Thread.sleep(Duration.ofSeconds(Long.parseLong(retryAfter.get().strip())));
        }
    }

    private RunResult await(String id, long start) throws Exception {
        var get = HttpRequest.newBuilder(gateway.resolve("/v1/runs/" + id + (longPoll ? "?wait=30s" : "")))
                .timeout(Duration.ofSeconds(longPoll ? 45 : 30))
                .header("Authorization", "Bearer " + API_KEY).GET().build();
        while (!pastDeadline()) {
            if (!longPoll) {
                Thread.sleep(pollMs);
            }
            HttpResponse<String> got = admitted(get);
            if (got.statusCode() != 200) {
                if (longPoll) {
                    Thread.sleep(pollMs);
                }
                continue;
            }
            JsonNode run = json.readTree(got.body());
            String status = run.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return new RunResult(status, System.nanoTime() - start,
                        run.path("usage").path("completionTokens").asLong(0), run.path("candidates").size(),
                        "PASS".equals(run.path("result").path("verdict").asString("")));
            }
            // the orchestrator had as many long-polls parked as it keeps: it answered at once and says when to ask again
            var retryAfter = got.headers().firstValue("Retry-After");
            if (retryAfter.isPresent()) {
                Thread.sleep(Duration.ofSeconds(Long.parseLong(retryAfter.get().strip())));
            }
        }
        return new RunResult("TIMEOUT", System.nanoTime() - start, 0, 0, false);
    }

    Round round(String label, int runs, int concurrency) throws InterruptedException {
        var results = new ConcurrentLinkedQueue<RunResult>();
        var next = new AtomicInteger();
        var errors = new AtomicInteger();
        var cpuBefore = cpu.snapshot();
        long start = System.nanoTime();
        // concurrency = runs in flight: with batches of K, concurrency/K clients each submit K runs at a time
        int clients = Math.max(1, concurrency / batch);
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int t = 0; t < clients; t++) {
                pool.submit(() -> {
                    int i;
                    while (!pastDeadline() && (i = next.getAndAdd(batch)) < runs) {
                        try {
                            results.addAll(submitAndWait(label, i, Math.min(batch, runs - i)));
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
        return new Round(label, runs, concurrency, wall, List.copyOf(results),
                ProcessCpu.delta(cpuBefore, cpu.snapshot()));
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
                "poll-ms", "reward-model", "max-tokens", "seed", "client", "batch", "tenant-budget");
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
        String client = args.get("client", "wait");
        if (!client.equals("wait") && !client.equals("poll")) {
            throw new IllegalArgumentException("--client must be wait (GET ?wait=30s) or poll (GET every --poll-ms)");
        }
        int batch = args.getInt("batch", 1);
        String tenantBudget = args.get("tenant-budget", "");
        var bench = new PlatformThroughputBench(gateway, pool, n, rewardModel, maxTokens, args.getLong("poll-ms", 20),
                client.equals("wait"), batch, args.getLong("seed", 1), Duration.ofSeconds(args.getLong("timeout", 600)));
        if (!tenantBudget.isEmpty()) {
            bench.putTenantBudget(tenantBudget);
        }

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
            PlannerStatistics.refresh();
            System.err.printf("round %d/%d: %d runs, concurrency %d%n", r, rounds, runs, concurrency);
            measured.add(bench.round("r" + r, runs, concurrency));
        }

        var report = new Report("platform-" + pool, "Platform throughput through the gateway: pool `" + pool + "`");
        report.para("Best-of-" + n + " runs on pool `" + pool + "`" + (rewardModel == null ? "" : " with reward model `"
                + rewardModel + "`") + ", numeric verifier, through the gateway of a running `./verigen up` "
                + "(the services, Kafka, PostgreSQL and this load generator all on this one machine). " + runs
                + " runs per round at concurrency " + concurrency + " after " + warmup + " warm-up runs; "
                + (batch == 1 ? "each run is POST /v1/runs" : "runs are submitted " + batch + " at a time by POST /v1/runs:batch")
                + (bench.longPoll ? ", then GET /v1/runs/{id}?wait=30s, which answers when the run ends"
                        : ", then GET /v1/runs/{id} every " + bench.pollMs + " ms until it ends")
                + (tenantBudget.isEmpty() ? "" : "; the tenant has a budget of its own (" + tenantBudget + " tokens), "
                        + "so every job also reserves on the tenant's row")
                + ". Latency is POST to the response that sees the run finished. Candidates = candidates in the "
                + "finished runs; tokens = `usage.completionTokens`. Ratio: candidates/s over LIMITS.md's bare pipeline "
                + "(38,100 candidates/s: 2 Kafka round trips + 1 batched trace row per candidate, no services). "
                + "CPU = user + system seconds of every platform process over the round, from /proc/<pid>/stat "
                + "(the service JVMs, Kafka, and PostgreSQL's backends of the verigen database), this load generator "
                + "excluded: on a shared machine the robust figure, since wall-clock rates move with the other load. "
                + "Each measured round starts with VACUUM ANALYZE of the platform's database, so its planner "
                + "statistics are current where autovacuum is off.");
        List<List<String>> rows = new ArrayList<>();
        for (Round r : measured) {
            double cps = r.candidates() / r.wallS();
            long pass = r.results().stream().filter(RunResult::pass).count();
            rows.add(List.of(r.label(), r.ok() + "/" + r.results().size(), Report.f1(r.wallS()),
                    Report.f1(r.ok() / r.wallS()), Report.f0(cps), Report.f0(r.tokens() / r.wallS()),
                    Report.f0(r.percentileMs(0.5)), Report.f0(r.percentileMs(0.95)), Report.f0(r.percentileMs(0.99)),
                    Report.pct(pass / (double) Math.max(1, r.ok())),
                    String.format(java.util.Locale.ROOT, "%.4f", cps / BARE_PIPELINE_CANDIDATES_PER_S),
                    Report.f1(r.cpuTotalS()), Report.f2(r.cpuMsPerCandidate())));
        }
        report.table(List.of("round", "succeeded", "wall s", "runs/s", "candidates/s", "completion tokens/s",
                "p50 ms", "p95 ms", "p99 ms", "selected answer PASS", "candidates/s ÷ bare pipeline",
                "platform CPU s", "CPU ms / candidate"), rows);
        if (!measured.isEmpty() && !measured.getFirst().cpuS().isEmpty()) {
            List<String> names = new ArrayList<>(measured.getFirst().cpuS().keySet());
            List<String> header = new ArrayList<>(List.of("process"));
            measured.forEach(r -> {
                header.add(r.label() + " CPU s");
                header.add(r.label() + " ms / candidate");
            });
            List<List<String>> cpuRows = new ArrayList<>();
            for (String name : names) {
                List<String> row = new ArrayList<>(List.of(name));
                for (Round r : measured) {
                    double s = r.cpuS().getOrDefault(name, 0.0);
                    row.add(Report.f2(s));
                    row.add(Report.f2(r.candidates() == 0 ? Double.NaN : s * 1000 / r.candidates()));
                }
                cpuRows.add(row);
            }
            report.para("CPU per process (user + system, /proc/<pid>/stat):");
            report.table(header, cpuRows);
        } else {
            report.para("No per-process CPU: /proc or .verigen/pids is missing (the platform was not started by "
                    + "./verigen up on Linux).");
        }
        List<String> failures = measured.stream().flatMap(r -> r.results().stream()).map(RunResult::status)
                .filter(s -> !s.equals("SUCCEEDED")).distinct().toList();
        if (!failures.isEmpty()) {
            report.para("Runs that did not succeed ended as: " + String.join(", ", failures) + ".");
        }
        if (bench.refusals.get() > 0 || bench.timeouts.get() > 0) {
            report.para("Sent again (warm-up included): " + bench.refusals.get() + " requests the gateway refused "
                    + "as over its in-flight bounds (429/503 with Retry-After), " + bench.timeouts.get()
                    + " that timed out at this client.");
        }
        report.emit(Report.command("platform", argv), args.flag("write"));
        System.exit(0);
    }
}
