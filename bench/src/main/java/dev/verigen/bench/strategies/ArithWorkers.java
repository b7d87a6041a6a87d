package dev.verigen.bench.strategies;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.generator.GeneratorProperties;
import dev.verigen.generator.jobs.JobRouter;
import dev.verigen.generator.templates.ChatTemplate;
import dev.verigen.orchestrator.strategies.Answers;
import dev.verigen.orchestrator.strategies.harness.Workers;
import dev.verigen.worker.llamacpp.LlamaEngine;
import dev.verigen.worker.llamacpp.LlamaModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code arith-tiny} model behind the in-memory runner: generator-svc's {@link JobRouter} renders each job
 * exactly as the platform does for that pool (QA layout, the pool's stop at a newline), and gpu-worker's in-process
 * llama.cpp engine samples it, with exact sequence log-probabilities when the job asks for them. Verification is the
 * suite's numeric check of the stated answer against the reference. There is no reward model.
 *
 * <p>Draws are memoised. The engine's sample i of a request draws from seed + i after the one shared prefill, so a
 * request for n samples that were already drawn (same rendered prompt, sampling and seed) returns the same texts the
 * engine would, and a larger n only draws the missing tail. Every request is billed as if drawn (one prefill plus
 * its samples' tokens), so methods and sample counts share their draws (common random numbers) at honest token counts.
 */
public final class ArithWorkers implements Workers, AutoCloseable {

    public static final String POOL = "arith-tiny";
    /** generator-svc's configuration of the pool (application.yml): QA layout, answers end at a newline. */
    static final GeneratorProperties.Pool ARITH_POOL = new GeneratorProperties.Pool(ChatTemplate.QA, List.of("\n"));

    private record Key(String prompt, double temperature, double topP, int maxTokens, List<String> stop, long seed) {
    }

    private record Drawn(int promptTokens, List<LlamaEngine.Completion> completions) {
    }

    private final LlamaEngine engine;
    private final JobRouter router = new JobRouter(new GeneratorProperties(Map.of(POOL, ARITH_POOL), null));
    private final Map<Key, Drawn> drawn = new HashMap<>();
    private long billedPromptTokens;
    private long billedCompletionTokens;
    private long decodedTokens;
    private long engineNanos;

    /** Loads the model with one llama.cpp context of the model's training size. */
    public ArithWorkers(Path model, int threads) {
        LlamaModel loaded = LlamaModel.load(model);
        try {
            this.engine = new LlamaEngine(loaded, 1, loaded.trainedContext(), threads);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    @Override
    public Generated generate(GenerationCall call) {
        var meta = new JobMeta(UUID.nameUUIDFromBytes(call.label().getBytes()), new UUID(1, 1), new UUID(1, 2), 1,
                "bench", null, null);
        var job = new GenerationJob(meta, call.role(), call.pool(), call.prompt(), call.sampling(), call.n(),
                call.partial(), call.oneStep());
        if (!(router.route(job) instanceof JobRouter.Dispatch dispatch)) {
            throw new IllegalArgumentException("the benchmark serves pool " + POOL + " only, not " + call.pool());
        }
        EngineRequest request = dispatch.request();
        SamplingParams s = request.sampling();
        if (s.seed() == null) {
            throw new IllegalArgumentException("benchmark runs are seeded: the spec sets a seed");
        }
        Drawn d = draw(new Key(request.prompt(), s.temperature(), s.topP(), s.maxTokens(), s.stop(), s.seed()), s,
                call.n());
        List<Sample> samples = new ArrayList<>(call.n());
        long completion = 0;
        for (int i = 0; i < call.n(); i++) {
            LlamaEngine.Completion c = d.completions().get(i);
            // as the llamacpp backend: a logprob only when the job asked for one
            samples.add(new Sample(i, c.text(), c.finishReason(), c.tokens().length, s.logprobs() ? c.logprob() : null));
            completion += c.tokens().length;
        }
        billedPromptTokens += d.promptTokens();
        billedCompletionTokens += completion;
        return new Generated(samples, new Usage(d.promptTokens(), completion, call.n(), 0, 0));
    }

    private Drawn draw(Key key, SamplingParams sampling, int n) {
        Drawn known = drawn.get(key);
        int have = known == null ? 0 : known.completions().size();
        if (have >= n) {
            return known;
        }
        // sample i draws from seed + i: the missing tail is a request of n - have samples from seed + have
        LlamaEngine.Generation fresh = engine.generate(key.prompt(), sampling, n - have, key.seed() + have);
        decodedTokens += fresh.completionTokens();
        engineNanos += fresh.engineNanos();
        List<LlamaEngine.Completion> all = new ArrayList<>(known == null ? List.of() : known.completions());
        all.addAll(fresh.completions());
        Drawn out = new Drawn(fresh.promptTokens(), List.copyOf(all));
        drawn.put(key, out);
        return out;
    }

    /** The suite's numeric check: the stated answer (the last number) against the reference. */
    @Override
    public Checked verify(String prompt, String reference, String text) {
        String answer = Answers.extract(text);
        boolean pass = answer != null && answer.equals(Answers.normalise(reference));
        return new Checked(pass ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL, answer);
    }

    @Override
    public double score(String scorer, String prompt, String text) {
        throw new UnsupportedOperationException("the arith benchmark has no reward model (asked for " + scorer + ")");
    }

    /** Completion tokens billed so far (memoised draws included, as if drawn again). */
    public long billedCompletionTokens() {
        return billedCompletionTokens;
    }

    public long billedPromptTokens() {
        return billedPromptTokens;
    }

    /** Tokens the engine really sampled, and the engine time it took. */
    public long decodedTokens() {
        return decodedTokens;
    }

    public double engineSeconds() {
        return engineNanos / (double) TimeUnit.SECONDS.toNanos(1);
    }

    @Override
    public void close() {
        engine.close();
    }
}
