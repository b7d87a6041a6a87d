package dev.verigen.worker.llamacpp;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation over one loaded model with a pool of contexts (one per request in flight: a context is not thread-safe;
 * a request waits for a free one).
 *
 * <p>A request's N samples share ONE prompt prefill: the prompt is decoded once and its last logits kept; each
 * sample then drops the previous sample's positions from the KV cache ({@code llama_kv_self_seq_rm} from the prompt
 * length on), samples its first token from the kept logits and decodes one token at a time.
 */
public final class LlamaEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LlamaEngine.class);

    private final LlamaModel model;
    private final int contextSize;
    private final BlockingQueue<LlamaContext> idle;
    private final int contextCount;
    private final AtomicLong prefills = new AtomicLong();
    private final AtomicLong decodedTokens = new AtomicLong();
    private volatile boolean closed;

    /**
     * Takes ownership of {@code model}: closing the engine frees it.
     *
     * @param contexts    contexts to create, i.e. requests that can run at once
     * @param contextSize n_ctx of each context, in tokens (prompt + completion)
     * @param threads     CPU threads of each context
     */
    public LlamaEngine(LlamaModel model, int contexts, int contextSize, int threads) {
        this.model = model;
        this.contextCount = contexts;
        this.idle = new ArrayBlockingQueue<>(contexts);
        int actual = contextSize;
        for (int i = 0; i < contexts; i++) {
            LlamaContext ctx = model.newContext(contextSize, threads);
            actual = ctx.size();
            idle.add(ctx);
        }
        this.contextSize = actual;
    }

    /** One generated sample. {@code tokens} are the sampled ids, including a final end-of-generation token. */
    public record Completion(int index, String text, String finishReason, int[] tokens, double logprob) {
    }

    /**
     * A request's samples; the prompt was prefilled once for all of them.
     *
     * @param prefillNanos the shared prefill's share of {@code engineNanos}
     * @param cancelled    the request was cancelled: the last completion is cut (finish reason {@code cancelled}) and
     *                     the samples after it were never started
     */
    public record Generation(int promptTokens, List<Completion> completions, long engineNanos, long prefillNanos,
                             boolean cancelled) {
        public Generation(int promptTokens, List<Completion> completions, long engineNanos, long prefillNanos) {
            this(promptTokens, completions, engineNanos, prefillNanos, false);
        }

        public long completionTokens() {
            return completions.stream().mapToLong(c -> c.tokens().length).sum();
        }
    }

    public LlamaModel model() {
        return model;
    }

    public int contextSize() {
        return contextSize;
    }

    /** Prompt prefills run so far: one per request, whatever its n. */
    public long prefills() {
        return prefills.get();
    }

    /** Single tokens decoded so far (sampling steps that needed a forward pass). */
    public long decodedTokens() {
        return decodedTokens.get();
    }

    /**
     * Generates {@code n} samples of {@code prompt}. Sample i draws from {@code SplittableRandom(seed + i)}, so the
     * same seed gives the same texts.
     *
     * @throws EngineException {@code bad_request} when the prompt does not fit the context, {@code engine_error}
     *                         when llama.cpp fails
     */
    public Generation generate(String prompt, SamplingParams sampling, int n, long seed) {
        return generate(prompt, sampling, n, seed, EngineControl.NONE, 0);
    }

    /**
     * As {@link #generate(String, SamplingParams, int, long)}, watched: every {@code progressTokens} tokens (when
     * positive) a sample reports its text so far, and a cancel stops decoding at the next token.
     */
    public Generation generate(String prompt, SamplingParams sampling, int n, long seed, EngineControl control,
                               int progressTokens) {
        // everything that touches the model runs while holding a context: close() frees the model only after every
        // context is back, so a request in flight never sees freed weights or vocabulary
        LlamaContext ctx = acquire();
        long start = System.nanoTime();
        try {
            int[] promptTokens = model.tokenize(prompt);
            if (promptTokens.length == 0) {
                throw new EngineException(EngineErrors.BAD_REQUEST, "empty prompt", false);
            }
            // at least one position must stay free after the prompt, for the first sampled token's forward pass
            if (promptTokens.length >= contextSize) {
                throw new EngineException(EngineErrors.BAD_REQUEST, "prompt of " + promptTokens.length
                        + " tokens does not fit the context of " + contextSize + " tokens", false);
            }
            ctx.truncate(0);
            float[] promptLogits = ctx.decode(promptTokens, 0, promptTokens.length);
            long prefilled = System.nanoTime() - start;
            prefills.incrementAndGet();
            List<Completion> completions = new ArrayList<>(n);
            for (int i = 0; i < n && !control.cancelled(); i++) {
                ctx.truncate(promptTokens.length);
                completions.add(sample(ctx, i, promptLogits, sampling, new SplittableRandom(seed + i), control,
                        progressTokens));
            }
            return new Generation(promptTokens.length, completions, System.nanoTime() - start, prefilled, control.cancelled());
        } catch (LlamaContext.LlamaDecodeException e) {
            throw new EngineException(EngineErrors.ENGINE_ERROR, e.getMessage(), true,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            idle.add(ctx);
        }
    }

    private Completion sample(LlamaContext ctx, int index, float[] promptLogits, SamplingParams sampling,
                              SplittableRandom random, EngineControl control, int progressTokens) {
        StopMatcher stops = new StopMatcher(sampling.stop());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] tokens = new int[Math.min(sampling.maxTokens(), contextSize)];
        int count = 0;
        double logprob = 0;
        float[] logits = promptLogits;
        String text = "";
        String finish;
        while (true) {
            int token = Sampler.sample(logits, sampling.temperature(), sampling.topP(), random);
            logprob += Sampler.logProb(logits, token);
            tokens[count++] = token;
            if (model.isEndOfGeneration(token)) {
                finish = "stop";
                break;
            }
            bytes.writeBytes(model.piece(token));
            // a token may end mid-character; the text is re-decoded as a whole, so the character completes later
            text = bytes.toString(StandardCharsets.UTF_8);
            int stopAt = stops.find(text);
            if (stopAt >= 0) {
                text = text.substring(0, stopAt);
                finish = "stop";
                break;
            }
            // maxTokens reached, or no room left in the KV cache to decode this token for the next one's logits
            if (count == sampling.maxTokens() || ctx.length() >= contextSize) {
                finish = "length";
                break;
            }
            if (progressTokens > 0 && count % progressTokens == 0) {
                control.progress(index, text, count);
            }
            if (control.cancelled()) {
                finish = "cancelled";
                break;
            }
            logits = ctx.decode(token);
            decodedTokens.incrementAndGet();
        }
        return new Completion(index, text, finish, Arrays.copyOf(tokens, count), logprob);
    }

    /** A continuation's teacher-forced log-likelihood: the sum over its tokens (no end token is added). */
    public record ContinuationScore(int[] tokens, double logprob) {
    }

    /** The scores of a request's continuations; the prompt was prefilled once for all of them. */
    public record Scoring(int promptTokens, List<ContinuationScore> scores, long engineNanos) {
        public long continuationTokens() {
            return scores.stream().mapToLong(s -> s.tokens().length).sum();
        }
    }

    /**
     * Scoring mode: the log-likelihood of each continuation after {@code prompt}, nothing sampled. The prompt is
     * prefilled once; each continuation drops the previous one's positions from the cache and is teacher-forced one
     * token at a time from the kept prompt logits (its tokens are read as plain text, without BOS or special tokens).
     *
     * @throws EngineException {@code bad_request} when the prompt and a continuation do not fit the context
     */
    public Scoring scoreContinuations(String prompt, List<String> continuations) {
        LlamaContext ctx = acquire();
        long start = System.nanoTime();
        try {
            int[] promptTokens = model.tokenize(prompt);
            if (promptTokens.length == 0) {
                throw new EngineException(EngineErrors.BAD_REQUEST, "empty prompt", false);
            }
            List<int[]> tokenized = continuations.stream().map(c -> model.tokenize(c, false, false)).toList();
            for (int i = 0; i < tokenized.size(); i++) {
                // the last continuation token needs no forward pass of its own: prompt + all but one must fit
                if (promptTokens.length + Math.max(1, tokenized.get(i).length) > contextSize) {
                    throw new EngineException(EngineErrors.BAD_REQUEST, "prompt of " + promptTokens.length
                            + " tokens and continuation " + i + " of " + tokenized.get(i).length
                            + " tokens do not fit the context of " + contextSize + " tokens", false);
                }
            }
            ctx.truncate(0);
            float[] promptLogits = ctx.decode(promptTokens, 0, promptTokens.length);
            long prefilled = System.nanoTime() - start;
            prefills.incrementAndGet();
            List<ContinuationScore> scores = new ArrayList<>(tokenized.size());
            for (int[] tokens : tokenized) {
                ctx.truncate(promptTokens.length);
                float[] logits = promptLogits;
                double sum = 0;
                for (int k = 0; k < tokens.length; k++) {
                    sum += Sampler.logProb(logits, tokens[k]);
                    if (k + 1 < tokens.length) {
                        logits = ctx.decode(tokens[k]);
                        decodedTokens.incrementAndGet();
                    }
                }
                scores.add(new ContinuationScore(tokens, sum));
            }
            return new Scoring(promptTokens.length, scores, System.nanoTime() - start);
        } catch (LlamaContext.LlamaDecodeException e) {
            throw new EngineException(EngineErrors.ENGINE_ERROR, e.getMessage(), true,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            idle.add(ctx);
        }
    }

    /**
     * Teacher-forced log-likelihood of {@code completion} after {@code prompt}: every prefix is decoded from an
     * empty cache in one batch, independently of the incremental path {@link #generate} takes. Slow (quadratic);
     * for checks, not for serving.
     */
    public double score(String prompt, int[] completion) {
        LlamaContext ctx = acquire();
        try {
            int[] promptTokens = model.tokenize(prompt);
            int[] all = Arrays.copyOf(promptTokens, promptTokens.length + completion.length);
            System.arraycopy(completion, 0, all, promptTokens.length, completion.length);
            double sum = 0;
            for (int k = 0; k < completion.length; k++) {
                ctx.truncate(0);
                float[] logits = ctx.decode(all, 0, promptTokens.length + k);
                sum += Sampler.logProb(logits, completion[k]);
            }
            return sum;
        } finally {
            idle.add(ctx);
        }
    }

    /**
     * Waits for a free context. Polls rather than blocks for good, so a request that races with {@link #close()}
     * (which drains the pool) notices the shutdown instead of waiting forever.
     */
    private LlamaContext acquire() {
        try {
            while (true) {
                if (closed) {
                    throw shutDown();
                }
                LlamaContext ctx = idle.poll(200, TimeUnit.MILLISECONDS);
                if (ctx != null) {
                    if (closed) { // close() is collecting the contexts: hand this one over
                        idle.add(ctx);
                        throw shutDown();
                    }
                    return ctx;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineErrors.ENGINE_ERROR, "interrupted while waiting for a llama.cpp context", true);
        }
    }

    private static EngineException shutDown() {
        return new EngineException(EngineErrors.ENGINE_ERROR, "llama.cpp engine is shut down", true);
    }

    /**
     * Frees the contexts, then the model. Requests still running get up to 30 s to hand their context back; a
     * context that never comes back is leaked rather than freed under a running decode.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int freed = 0;
        try {
            for (; freed < contextCount; freed++) {
                LlamaContext ctx = idle.poll(30, TimeUnit.SECONDS);
                if (ctx == null) {
                    break;
                }
                ctx.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (freed == contextCount) {
            model.close();
        } else {
            log.warn("{} llama.cpp context(s) still busy at shutdown; leaving them and the model allocated",
                    contextCount - freed);
        }
    }

    /** Finds the earliest stop string in a growing text. */
    private static final class StopMatcher {
        private final List<String> stops;

        StopMatcher(List<String> stops) {
            this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
        }

        int find(String text) {
            int first = -1;
            for (String stop : stops) {
                int at = text.indexOf(stop);
                if (at >= 0 && (first < 0 || at < first)) {
                    first = at;
                }
            }
            return first;
        }
    }
}
