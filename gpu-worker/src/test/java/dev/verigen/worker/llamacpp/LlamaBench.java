package dev.verigen.worker.llamacpp;

import dev.verigen.contracts.SamplingParams;

import java.nio.file.Path;
import java.util.List;

/**
 * Bare engine speed: requests of n samples on one context, no Spring, no Kafka. Not a test (no {@code *Test} name);
 * run it from the gpu-worker module after {@code mvn -pl gpu-worker test-compile}:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.verigen.worker.llamacpp.LlamaBench [model.gguf] [threads] [n] [requests]
 * </pre>
 * ({@code mvn -q -pl gpu-worker dependency:build-classpath -Dmdep.outputFile=cp.txt} writes cp.txt).
 */
public final class LlamaBench {

    public static void main(String[] args) {
        Path model = Path.of(args.length > 0 ? args[0] : "../models/arith-tiny.gguf");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int requests = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        // T=0.8 and no stop: samples run to EOG or maxTokens, as a best-of-n job does before a verifier cuts answers
        var sampling = new SamplingParams(0.8, 1.0, 32, null, List.of(), true);
        LlamaModel loaded = LlamaModel.load(model);
        int contextSize = new LlamaCppProperties(null, threads, 1, null).contextSizeFor(loaded.trainedContext());
        try (LlamaEngine engine = new LlamaEngine(loaded, 1, contextSize, threads)) {
            for (int i = 0; i < 5; i++) { // warm-up: JIT and first-touch of the KV cache
                engine.generate(prompt(i), sampling, n, i);
            }
            long promptTokens = 0;
            long completionTokens = 0;
            long decodedBefore = engine.decodedTokens();
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                LlamaEngine.Generation g = engine.generate(prompt(i), sampling, n, 1000 + i);
                promptTokens += g.promptTokens();
                completionTokens += g.completionTokens();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long decoded = engine.decodedTokens() - decodedBefore;
            System.out.printf("llamacpp bare engine: %s, %d thread(s), n=%d, %d requests: %.2f s, "
                            + "%d completion tokens -> %.0f completion tokens/s (%.0f incl. %d prompt tokens), "
                            + "%.1f ms/request; %d single-token forward passes (%.0f/s), %d prefills%n",
                    model.getFileName(), threads, n, requests, seconds, completionTokens, completionTokens / seconds,
                    (promptTokens + completionTokens) / seconds, promptTokens, 1000 * seconds / requests,
                    decoded, decoded / seconds, requests);
        }
    }

    private static String prompt(int i) {
        int a = 10 + (i * 37) % 90;
        int b = 10 + (i * 53) % 90;
        return TestModels.arithPrompt(a, '+', b);
    }

    private LlamaBench() {
    }
}
