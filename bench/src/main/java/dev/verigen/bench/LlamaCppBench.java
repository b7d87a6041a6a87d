package dev.verigen.bench;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.llamacpp.LlamaEngine;
import dev.verigen.worker.llamacpp.LlamaModel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The llama.cpp backend through the whole platform against the same engine bare, in this JVM: same model
 * (arith-tiny.gguf), same questions, same N, same sampling, measured one after the other in one run.
 * The platform side needs a running {@code ./verigen up} (its {@code gpu-worker-arith} serves the model).
 */
public final class LlamaCppBench {

    private LlamaCppBench() {
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "gateway", "model", "n", "runs", "concurrency", "threads", "seed", "timeout", "client");
        int n = args.getInt("n", 8);
        int runs = args.getInt("runs", 200);
        int concurrency = args.getInt("concurrency", 4);
        int threads = args.getInt("threads", 2);
        long seed = args.getLong("seed", 1);
        Path model = Path.of(args.get("model", "models/arith-tiny.gguf"));
        var sampling = new SamplingParams(0.8, 1.0, 8, null, List.of("\n"), false);

        // bare: the engine in this process, one request after another (the worker runs one context the same way)
        double bareTokensPerS;
        double bareRequestsPerS;
        try (LlamaEngine engine = new LlamaEngine(LlamaModel.load(model), 1, 96, threads)) {
            for (int i = 0; i < 50; i++) {
                engine.generate(qa(PlatformThroughputBench.question("arith-tiny", seed + 7, i).prompt()), sampling, n, i);
            }
            long tokens = 0;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                var generation = engine.generate(qa(PlatformThroughputBench.question("arith-tiny", seed, i).prompt()),
                        sampling, n, seed * 100_000 + i);
                tokens += generation.completionTokens();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            bareTokensPerS = tokens / wall;
            bareRequestsPerS = runs / wall;
        }

        URI gateway = PlatformThroughputBench.localGateway(args.get("gateway", "http://localhost:8080"));
        var platform = new PlatformThroughputBench(gateway, "arith-tiny", n, null, 8, 10,
                !args.get("client", "wait").equals("poll"), 1, seed,
                Duration.ofSeconds(args.getLong("timeout", 600)));
        var warm = platform.round("warmup", 50, concurrency);
        if (warm.ok() == 0) {
            System.err.println("no arith-tiny run succeeded through " + gateway + "; is the platform up (./verigen up)?");
            System.exit(2);
        }
        List<PlatformThroughputBench.Round> rounds = new ArrayList<>();
        rounds.add(platform.round("platform, 1 run at a time", runs, 1));
        rounds.add(platform.round("platform, " + concurrency + " runs at a time", runs, concurrency));

        var report = new Report("llamacpp", "llama.cpp backend: through the platform vs the bare engine");
        report.para("Model `" + model + "` (a real 0.9M-parameter network, llama.cpp b4916 in process through "
                + "`java.lang.foreign`), best-of-" + n + " at temperature 0.8, at most 8 tokens, stop at a newline, "
                + threads + " threads, the same " + runs + " questions on both sides. **Bare**: `LlamaEngine` in the "
                + "benchmark's JVM, one request of " + n + " samples after another (one prefill shared by the " + n
                + " samples). **Platform**: best-of-" + n + " runs through the gateway → orchestrator → Kafka → "
                + "generator-svc → the `gpu-worker-arith` worker (one llama.cpp context) → verifier-svc, each run "
                + "waited for with GET /v1/runs/{id}?wait=30s (long-poll). Tokens are completion tokens, counted the same way on both sides.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("bare engine, in process", Report.f0(bareTokensPerS), Report.f1(bareRequestsPerS), "1.00×", "-"));
        for (var r : rounds) {
            double tps = r.tokens() / r.wallS();
            rows.add(List.of(r.label(), Report.f0(tps), Report.f1(r.ok() / r.wallS()),
                    String.format(Locale.ROOT, "%.2f×", tps / bareTokensPerS), Report.f0(r.percentileMs(0.5))));
        }
        report.table(List.of("path", "completion tokens/s", "requests (runs)/s", "vs bare", "p50 run ms"), rows);
        report.emit(Report.command("llamacpp", argv), args.flag("write"));
        System.exit(0);
    }

    private static String qa(String question) {
        return "Q: " + question + "\nA: ";
    }
}
