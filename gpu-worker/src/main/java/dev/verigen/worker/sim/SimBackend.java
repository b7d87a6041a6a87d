package dev.verigen.worker.sim;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import dev.verigen.contracts.simulation.Seeds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToDoubleFunction;

/**
 * The engine SIMULATOR ({@code verigen.worker.backend=sim}): no model runs here. It answers arithmetic tasks, and
 * the prompts of the built-in text2sql and code suites ({@link SimulatedSuiteAnswers}), with a per-prompt latent
 * solve rate and plausible wrong answers, and spends GPU-like time (prefill, batched decode, prefix cache, jitter),
 * all seeded so a run is reproducible. For tests, CI and orchestration benchmarks. A request with a partial solution
 * (step-wise search) gets continuations of it rather than whole drafts.
 */
@Component
@ConditionalOnProperty(prefix = "verigen.worker", name = "backend", havingValue = "sim")
public class SimBackend implements EngineBackend {

    public static final String NAME = "sim";

    private static final Logger log = LoggerFactory.getLogger(SimBackend.class);
    private static final long SAMPLE_SALT = 0x5a3b1eL;
    private static final long TIMING_SALT = 0x71e1L;
    private static final long FAILURE_SALT = 0xfa11L;
    private static final long SCORE_SALT = 0x5c0e1L;
    private static final long MODE_SALT = 0x30deL;

    private final SimProperties config;
    private final Tokens tokens;
    private final TaskModel model;
    private final SimJudgments judgments;
    private final LatencyModel latency;
    private final PrefixCache prefixCache;
    private final Pacer pacer;
    private final AtomicInteger activeSequences = new AtomicInteger();

    @Autowired
    public SimBackend(SimProperties config) {
        this(config, Pacer.WAIT);
        log.info("Engine backend 'sim' is a SIMULATOR: samples are synthetic, not produced by any model (seed {})",
                config.seed());
    }

    public SimBackend(SimProperties config, Pacer pacer) {
        this.config = config;
        this.tokens = new Tokens(config.charsPerToken());
        this.model = new TaskModel(config.solveRate(), config.realism());
        this.judgments = new SimJudgments(model, config.seed());
        this.latency = new LatencyModel(config.latency());
        this.prefixCache = new PrefixCache(config.latency().prefixCacheBlocks(),
                config.latency().prefixBlockTokens() * config.charsPerToken());
        this.pacer = pacer;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Sequences beyond the simulated batch, which wait for a slot (vLLM's num_requests_waiting, in sequences). */
    public int waitingSequences() {
        return Math.max(0, activeSequences.get() - config.latency().maxBatchSize());
    }

    /** The simulated judgments (likelihoods, judge verdicts), exposed for tests. */
    public SimJudgments judgments() {
        return judgments;
    }

    /** The simulated model's knowledge, exposed for tests and calibration. */
    public TaskModel model() {
        return model;
    }

    @Override
    public EngineOutput generate(EngineRequest request) {
        return generate(request, EngineControl.NONE);
    }

    /**
     * Samples are drawn at once and their engine time is then spent as a real engine would spend it: prefill, then
     * one decode step after another for the whole batch. On the way each sample reports its text so far every
     * {@code progressTokens} tokens (when asked), and a cancel stops the clock: the samples are cut at the tokens
     * decoded by then, and only those are billed.
     */
    @Override
    public EngineOutput generate(EngineRequest request, EngineControl control) {
        SamplingParams sampling = request.sampling();
        // no seed: derive one from the job id, so a replayed job reproduces while distinct jobs differ
        long baseSeed = sampling.seed() != null ? sampling.seed() : Seeds.hash(request.meta().jobId().toString());
        long promptHash = Seeds.hash(request.prompt());
        SplittableRandom timingRandom = Seeds.random(config.seed(), TIMING_SALT, baseSeed, promptHash);
        // failures depend on the attempt too, so a retry of a failed job can succeed
        SplittableRandom failureRandom = Seeds.random(config.seed(), FAILURE_SALT,
                Seeds.hash(request.meta().jobId().toString()), request.meta().attempt());

        double failureDraw = failureRandom.nextDouble();
        SimProperties.Failures failures = config.failures();
        if (failureDraw < failures.rateLimited()) {
            throw new EngineException(EngineErrors.RATE_LIMITED, "simulated engine: 429 too many requests", true);
        }
        failureDraw -= failures.rateLimited();

        List<Sample> samples = new ArrayList<>(request.n());
        long completionTokens = 0;
        int longest = 0;
        long scoredTokens = 0;
        if (request.scoringMode()) {
            // SIMULATED likelihoods: no sampling, one sample per continuation; its tokens are read, not generated
            for (int i = 0; i < request.continuations().size(); i++) {
                String continuation = request.continuations().get(i);
                int count = tokens.count(continuation);
                double logprob = judgments.logprob(request.task(), continuation, count,
                        Seeds.random(config.seed(), SCORE_SALT, promptHash, Seeds.hash(continuation)));
                samples.add(new Sample(i, continuation, "stop", count, logprob));
                scoredTokens += count;
            }
        }
        for (int i = 0; i < (request.scoringMode() ? 0 : request.n()); i++) {
            // temperature 0 is greedy decoding: every sample is sample 0
            long sampleSeed = sampling.temperature() == 0 ? baseSeed : baseSeed + i;
            // a continuation also hashes its partial, so replays reproduce and distinct partials differ
            SplittableRandom random = continues(request)
                    ? Seeds.random(config.seed(), SAMPLE_SALT, sampleSeed, promptHash, Seeds.hash(request.partial()))
                    : Seeds.random(config.seed(), SAMPLE_SALT, sampleSeed, promptHash);
            // cool sampling collapses onto the mode: the task's greedy sample, the same whatever the seed
            SamplingParams drawn = sampling;
            if (!continues(request) && random.nextDouble() < config.realism().collapse(sampling.temperature())) {
                random = Seeds.random(config.seed(), MODE_SALT, promptHash);
                drawn = new SamplingParams(0, sampling.topP(), sampling.maxTokens(), sampling.seed(),
                        sampling.stop(), sampling.logprobs());
            }
            Sample sample = sample(i, request, drawn, random);
            samples.add(sample);
            completionTokens += sample.completionTokens();
            longest = (int) Math.max(longest, sample.completionTokens());
        }

        int promptTokens = tokens.count(request.prompt());
        int cachedTokens = Math.min(promptTokens, prefixCache.lookupAndInsert(request.prompt()) / config.charsPerToken());
        int concurrent = activeSequences.addAndGet(request.n());
        try {
            LatencyModel.Timing timing = latency.time(promptTokens - cachedTokens + (int) scoredTokens, longest,
                    concurrent, timingRandom);
            if (failureDraw < failures.serverError()) {
                spend(timing.prefillMs());
                throw new EngineException(EngineErrors.ENGINE_ERROR, "simulated engine: 500 internal error", true,
                        Math.round(timing.prefillMs()));
            }
            failureDraw -= failures.serverError();
            double spentMs = decode(request, samples, timing, longest, control);
            if (control.cancelled() && spentMs + 1e-3 < timing.totalMs()) {
                return cancelled(request, samples, timing, longest, spentMs, promptTokens + scoredTokens);
            }
            long engineMs = Math.round(timing.totalMs());
            if (failureDraw < failures.timeout()) {
                throw new EngineException(EngineErrors.TIMEOUT, "simulated engine: request timed out", true, engineMs);
            }
            failureDraw -= failures.timeout();
            if (failureDraw < failures.malformed()) {
                throw new EngineException(EngineErrors.MALFORMED_OUTPUT, "simulated engine: unreadable response", true,
                        engineMs);
            }
            long calls = request.scoringMode() ? samples.size() : request.n();
            // the batch decodes its longest sample token by token after the prefill: that is what a client would see
            EngineOutput.Timing seen = longest == 0 ? null : new EngineOutput.Timing(timing.prefillMs(),
                    longest > 1 ? timing.decodeMs() / longest : 0);
            return new EngineOutput(samples, new Usage(promptTokens + scoredTokens, completionTokens, calls, engineMs, 0),
                    seen);
        } finally {
            activeSequences.addAndGet(-request.n());
        }
    }

    /**
     * Spends the request's engine time, reporting progress when each sample passes another {@code progressTokens}
     * tokens, and stopping early on a cancel.
     *
     * @return the engine time spent, less than the total only when cancelled
     */
    private double decode(EngineRequest request, List<Sample> samples, LatencyModel.Timing timing, int longest,
                          EngineControl control) {
        double msPerToken = longest == 0 ? 0 : timing.decodeMs() / longest;
        List<double[]> events = new ArrayList<>(); // {time, sample, tokens}
        int every = request.progressTokens();
        if (every > 0 && !request.scoringMode()) {
            for (Sample sample : samples) {
                for (long t = every; t < sample.completionTokens(); t += every) {
                    events.add(new double[]{timing.prefillMs() + t * msPerToken, sample.index(), t});
                }
            }
            events.sort(java.util.Comparator.comparingDouble((double[] e) -> e[0]).thenComparingDouble(e -> e[1]));
        }
        double now = 0;
        for (double[] event : events) {
            now += spend(event[0] - now, control);
            if (control.cancelled()) {
                return now;
            }
            Sample sample = samples.get((int) event[1]);
            control.progress(sample.index(), prefix(sample.text(), (long) event[2]), (long) event[2]);
        }
        return now + spend(timing.totalMs() - now, control);
    }

    /** What a cancel at {@code spentMs} leaves: each sample cut at the tokens decoded by then, and their usage. */
    private EngineOutput cancelled(EngineRequest request, List<Sample> samples, LatencyModel.Timing timing, int longest,
                                   double spentMs, long promptTokens) {
        double msPerToken = longest == 0 ? 0 : timing.decodeMs() / longest;
        long decoded = spentMs <= timing.prefillMs() || msPerToken == 0 ? 0
                : (long) Math.floor((spentMs - timing.prefillMs()) / msPerToken);
        List<Sample> cut = new ArrayList<>(samples.size());
        long completion = 0;
        for (Sample s : samples) {
            if (s.completionTokens() <= decoded) {
                cut.add(s);
                completion += s.completionTokens();
            } else {
                cut.add(new Sample(s.index(), prefix(s.text(), decoded), "cancelled", decoded, null));
                completion += decoded;
            }
        }
        long calls = request.scoringMode() ? samples.size() : request.n();
        return new EngineOutput(cut, new Usage(promptTokens, completion, calls, Math.round(spentMs), 0), true);
    }

    /** The first {@code tokens} tokens of a sample's text, as the simulator's tokenizer counts them. */
    private String prefix(String text, long tokens) {
        long chars = tokens * config.charsPerToken();
        return chars >= text.length() ? text : text.substring(0, (int) chars);
    }

    private Sample sample(int index, EngineRequest request, SamplingParams sampling, SplittableRandom random) {
        var judge = SimJudgments.judgePrompt(request.task());
        SimProperties.Realism realism = config.realism();
        if (judge.isEmpty() && continues(request)) {
            Continuation continuation = model.continuation(SimJudgments.underlyingTask(request.task()),
                    request.partial(), sampling.temperature(), random);
            return finish(index, continuation.text(),
                    chars -> SimJudgments.perTokenCost(continuation.onTrackWithin(chars), 0, realism), sampling,
                    random);
        }
        TaskModel.Draft draft = judge.isPresent()
                ? new TaskModel.Draft(judgments.verdict(judge.get(), random), true, 0)
                : model.draft(SimJudgments.underlyingTask(request.task()), sampling.temperature(), random);
        double appeal = draft.misconception() == null ? 0 : draft.misconception().appeal();
        return finish(index, draft.text(), chars -> SimJudgments.perTokenCost(draft.correct(), appeal, realism),
                sampling, random);
    }

    /** Step-wise search: the samples continue the partial solution the prompt ends with. */
    private static boolean continues(EngineRequest request) {
        return request.partial() != null && !request.partial().isBlank();
    }

    /**
     * Applies stop strings and max tokens to what the sample would say; {@code costWithin} gives the mean negative
     * log-probability per token of the text cut to that many characters, for the logprob.
     */
    private Sample finish(int index, String full, IntToDoubleFunction costWithin, SamplingParams sampling,
                          SplittableRandom random) {
        String text = full;
        String finish = "stop";
        int stopAt = firstStop(text, sampling.stop());
        if (stopAt >= 0) {
            text = text.substring(0, stopAt);
        }
        String truncated = tokens.truncate(text, sampling.maxTokens());
        if (truncated.length() < text.length()) {
            text = truncated;
            finish = "length";
        }
        int completionTokens = tokens.count(text);
        Double logprob = sampling.logprobs()
                ? -completionTokens * costWithin.applyAsDouble(text.length()) * (0.5 + random.nextDouble())
                : null;
        return new Sample(index, text, finish, completionTokens, logprob);
    }

    private static int firstStop(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            if (stop.isEmpty()) {
                continue;
            }
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    private void spend(double ms) {
        pacer.spend(Duration.ofNanos(Math.round(ms * 1_000_000)));
    }

    /** Spends up to {@code ms}, less when the job is cancelled on the way; returns what was spent. */
    private double spend(double ms, EngineControl control) {
        if (ms <= 0) {
            return 0;
        }
        Duration spent = pacer.spend(Duration.ofNanos(Math.round(ms * 1_000_000)), control::cancelled);
        return Math.min(ms, spent.toNanos() / 1e6);
    }
}
