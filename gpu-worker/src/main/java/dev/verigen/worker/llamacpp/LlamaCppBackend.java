package dev.verigen.worker.llamacpp;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineOutput;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a GGUF model in process with llama.cpp ({@code verigen.worker.backend=llamacpp}): real tokens from a real
 * network, on CPU. A request's n samples share one prompt prefill; sampling (temperature, top-p, seed + i per sample)
 * and exact per-token log-probabilities are done in Java over the raw logits (see {@link LlamaEngine}).
 */
@Component
@ConditionalOnProperty(prefix = "verigen.worker", name = "backend", havingValue = "llamacpp")
public class LlamaCppBackend implements EngineBackend, AutoCloseable {

    public static final String NAME = "llamacpp";

    private static final Logger log = LoggerFactory.getLogger(LlamaCppBackend.class);

    private final LlamaEngine engine;

    public LlamaCppBackend(LlamaCppProperties config, ObjectProvider<MeterRegistry> registry) {
        this.engine = open(config);
        // prefills vs. forward passes shows the shared prefill at work: one prefill per request, whatever its n
        registry.ifAvailable(r -> {
            FunctionCounter.builder("verigen.worker.llamacpp.prefills", engine, LlamaEngine::prefills)
                    .description("prompt prefills (one per request, shared by its samples)").register(r);
            FunctionCounter.builder("verigen.worker.llamacpp.decoded.tokens", engine, LlamaEngine::decodedTokens)
                    .description("single-token forward passes while sampling").register(r);
        });
        log.info("Engine backend 'llamacpp': {} ({} vocabulary entries), {} context(s) of {} tokens, {} thread(s) each",
                engine.model().path(), engine.model().vocabSize(), config.contexts(), engine.contextSize(),
                config.threads());
    }

    private static LlamaEngine open(LlamaCppProperties config) {
        if (config.modelPath() == null || config.modelPath().isBlank()) {
            throw new IllegalStateException("verigen.worker.llamacpp.model-path (LLAMACPP_MODEL_PATH) is not set: "
                    + "the llamacpp backend needs a GGUF model file");
        }
        Path path = Path.of(config.modelPath());
        LlamaModel model;
        try {
            model = LlamaModel.load(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("verigen.worker.llamacpp.model-path: " + e.getMessage(), e);
        }
        try {
            return new LlamaEngine(model, config.contexts(), config.contextSizeFor(model.trainedContext()),
                    config.threads());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The engine, for metrics and tests (e.g. its prefill count). */
    public LlamaEngine engine() {
        return engine;
    }

    @Override
    public EngineOutput generate(EngineRequest request) {
        return generate(request, EngineControl.NONE);
    }

    /** Decoding checks for a cancel at every token and reports progress every {@code progressTokens} tokens. */
    @Override
    public EngineOutput generate(EngineRequest request, EngineControl control) {
        if (request.scoringMode()) {
            return score(request);
        }
        SamplingParams sampling = request.sampling();
        // no seed: derive one from the job id, so a replayed job reproduces while distinct jobs differ
        long seed = sampling.seed() != null ? sampling.seed()
                : seedOf(request.meta().jobId().toString());
        LlamaEngine.Generation generation = engine.generate(request.prompt(), sampling, request.n(), seed, control,
                request.progressTokens());
        List<Sample> samples = generation.completions().stream()
                .map(c -> new Sample(c.index(), c.text(), c.finishReason(), c.tokens().length,
                        sampling.logprobs() ? c.logprob() : null))
                .toList();
        long engineMs = TimeUnit.NANOSECONDS.toMillis(generation.engineNanos());
        // samples are decoded one after another after the shared prefill
        long decoded = generation.completionTokens();
        double prefillMs = generation.prefillNanos() / 1e6;
        var timing = decoded == 0 ? null : new EngineOutput.Timing(prefillMs,
                (generation.engineNanos() / 1e6 - prefillMs) / decoded);
        return new EngineOutput(samples, new Usage(generation.promptTokens(), generation.completionTokens(),
                generation.cancelled() ? samples.size() : request.n(), engineMs, 0), generation.cancelled(), timing);
    }

    /** Scoring mode: one sample per continuation, its logprob the teacher-forced sum over its tokens. */
    private EngineOutput score(EngineRequest request) {
        LlamaEngine.Scoring scoring = engine.scoreContinuations(request.prompt(), request.continuations());
        List<Sample> samples = new java.util.ArrayList<>(scoring.scores().size());
        for (int i = 0; i < scoring.scores().size(); i++) {
            LlamaEngine.ContinuationScore s = scoring.scores().get(i);
            samples.add(new Sample(i, request.continuations().get(i), "stop", s.tokens().length, s.logprob()));
        }
        long engineMs = TimeUnit.NANOSECONDS.toMillis(scoring.engineNanos());
        return new EngineOutput(samples, new Usage(scoring.promptTokens() + scoring.continuationTokens(), 0,
                samples.size(), engineMs, 0));
    }

    private static long seedOf(String text) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** Called by Spring on shutdown (inferred destroy method): frees the contexts and the model. */
    @Override
    public void close() {
        engine.close();
    }
}
