package dev.verigen.bench;

import dev.verigen.contracts.Usage;
import dev.verigen.worker.sim.Pacer;
import dev.verigen.worker.sim.SimBackend;
import dev.verigen.worker.sim.SimProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The gpu-worker engine simulator's throughput against batch size, in SIMULATED time: the real {@link SimBackend}
 * with the latency settings of gpu-worker's application.yml, and a {@link Pacer} that only accounts the time
 * (nothing sleeps), so the figures are deterministic for a seed and independent of this machine's load.
 *
 * <p>Part 1: one request at a time with n samples; tokens per simulated engine-second. Part 2: several requests in
 * flight at once (the simulator counts their sequences as one engine batch and slows decode as the batch fills).
 */
public final class SimBatchBench {

    static final String PROMPT = "What is 17 * 23 + 456 - 78 * 9 + 1234?";
    static final int[] BATCH = {1, 2, 4, 8, 16, 32, 64};
    static final int[] IN_FLIGHT = {1, 2, 4, 8, 16, 32};

    private SimBatchBench() {
    }

    /** gpu-worker/src/main/resources/application.yml, verigen.worker.sim.* (also the SimProperties defaults). */
    static SimProperties applicationYml(long seed) {
        return new SimProperties(seed, 4, new SimProperties.SolveRate(2.0, 2.0, 0.0),
                new SimProperties.Latency(10.0, 0.1, 1.0, 64, 1.0, 0.1, 4096, 16),
                new SimProperties.Failures(0.0, 0.0, 0.0, 0.0), SimProperties.Realism.DEFAULT);
    }

    record Point(int n, int requests, long completionTokens, long engineMs) {
        double tokensPerSecond() {
            return completionTokens * 1000.0 / engineMs;
        }

        double msPerRequest() {
            return engineMs / (double) requests;
        }
    }

    static Point batch(int n, int requests, long seed) {
        var sim = new SimBackend(applicationYml(seed), d -> { });
        long tokens = 0;
        long ms = 0;
        for (int r = 0; r < requests; r++) {
            Usage u = sim.generate(Requests.engine(r, PROMPT, PROMPT, n, 1_000L * r)).usage();
            tokens += u.completionTokens();
            ms += u.engineMs();
        }
        return new Point(n, requests, tokens, ms);
    }

    /**
     * {@code inFlight - 1} requests of n samples are held inside the engine (their simulated time blocks until
     * released), and probe requests of n samples are timed alongside them; all in-flight requests share the batch,
     * so the engine's output rate is inFlight × the probe's tokens per second.
     */
    static Point concurrent(int inFlight, int n, int probes, long seed) throws InterruptedException {
        var release = new CountDownLatch(1);
        var entered = new CountDownLatch(inFlight - 1);
        Thread prober = Thread.currentThread();
        Pacer pacer = d -> {
            if (Thread.currentThread() != prober) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        var sim = new SimBackend(applicationYml(seed), pacer);
        List<Thread> holders = new ArrayList<>();
        for (int h = 0; h < inFlight - 1; h++) {
            long id = 1_000_000L + h;
            holders.add(Thread.ofPlatform().daemon().start(() -> sim.generate(Requests.engine(id, PROMPT, PROMPT, n, id))));
        }
        entered.await();
        long tokens = 0;
        long ms = 0;
        try {
            for (int r = 0; r < probes; r++) {
                Usage u = sim.generate(Requests.engine(r, PROMPT, PROMPT, n, 1_000L * r)).usage();
                tokens += u.completionTokens();
                ms += u.engineMs();
            }
        } finally {
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
        }
        return new Point(n, probes, tokens, ms);
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "requests", "seed", "n-concurrent");
        int requests = args.getInt("requests", 500);
        long seed = args.getLong("seed", 0);
        int nConcurrent = args.getInt("n-concurrent", 8);

        var report = new Report("sim-batch", "Engine simulator: throughput vs batch size (simulated time)");
        report.para("The real `SimBackend` (gpu-worker) with the latency settings of gpu-worker's application.yml "
                + "(ttft 10 ms, prefill 0.1 ms/token, decode 1.0 ms/token, max batch 64, batch slowdown 1.0, jitter ±10 %), "
                + "prompt `" + PROMPT + "`, " + requests + " requests per row, seeds fixed (sim seed " + seed + "). "
                + "Time is the simulator's accounted engine time (`Usage.engineMs`), so nothing sleeps and the figures "
                + "do not depend on the machine's load. Tokens are completion tokens. The engine's realism settings "
                + "(which shape the texts, hence their lengths): " + SimProperties.Realism.DEFAULT.describe() + ".");

        List<List<String>> rows = new ArrayList<>();
        Point base = null;
        for (int n : BATCH) {
            Point p = batch(n, requests, seed);
            base = base == null ? p : base;
            rows.add(List.of(Integer.toString(n), Report.f1(p.completionTokens() / (double) p.requests() / n),
                    Report.f1(p.msPerRequest()), Report.f0(p.tokensPerSecond()),
                    Report.x(p.tokensPerSecond() / base.tokensPerSecond())));
        }
        report.para("**One request at a time, n samples per request** (the n samples decode as one batch):");
        report.table(List.of("n", "tokens/sample", "engine ms/request", "completion tokens/engine-s", "vs n=1"), rows);

        rows = new ArrayList<>();
        Point one = null;
        for (int c : IN_FLIGHT) {
            Point p = concurrent(c, nConcurrent, Math.max(20, requests / 5), seed);
            one = one == null ? p : one;
            double aggregate = c * p.tokensPerSecond();
            rows.add(List.of(Integer.toString(c), Integer.toString(c * nConcurrent), Report.f1(p.msPerRequest()),
                    Report.x(p.msPerRequest() / one.msPerRequest()), Report.f0(aggregate),
                    Report.x(aggregate / one.tokensPerSecond())));
        }
        report.para("**Requests in flight at once, n=" + nConcurrent + " each**: the simulator counts the sequences "
                + "of all in-flight requests as one engine batch; decode slows by up to 2× as it fills to 64 "
                + "sequences, and proportionally beyond (queueing). Engine output = in-flight × per-request rate.");
        report.table(List.of("requests in flight", "active sequences", "engine ms/request", "latency vs 1",
                "engine completion tokens/s", "vs 1 in flight"), rows);
        report.emit(Report.command("sim-batch", argv), args.flag("write"));
    }
}
