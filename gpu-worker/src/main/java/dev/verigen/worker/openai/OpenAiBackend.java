package dev.verigen.worker.openai;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import dev.verigen.worker.openai.OpenAiProperties.NSupport;
import dev.verigen.worker.openai.OpenAiWire.Choice;
import dev.verigen.worker.openai.OpenAiWire.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real model behind any OpenAI-compatible HTTP server ({@code verigen.worker.backend=openai}): vLLM, SGLang,
 * llama.cpp server, Ollama, OpenAI. The n samples are asked for in one request; servers that ignore {@code n} (llama.cpp
 * server, Ollama) answer with fewer choices, and the rest is fetched with parallel single requests on virtual threads.
 * Retries, timeouts per attempt, breaker and bulkhead are not here: the resilience decorator adds them to every backend.
 */
@Component
@ConditionalOnProperty(prefix = "verigen.worker", name = "backend", havingValue = "openai")
public class OpenAiBackend implements EngineBackend {

    public static final String NAME = "openai";

    private static final Logger log = LoggerFactory.getLogger(OpenAiBackend.class);
    private static final int BODY_SNIPPET = 300;

    private final OpenAiProperties config;
    private final HttpClient http;
    private final URI uri;
    /** Whether the server honours n: null until a request with n > 1 tells (auto mode only). */
    private final AtomicReference<Boolean> honoursN = new AtomicReference<>();

    @Autowired
    public OpenAiBackend(OpenAiProperties config) {
        this(config, HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // inference servers speak HTTP/1.1; the h2c upgrade attempt of the default confuses some (uvicorn)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
        log.info("Engine backend 'openai': model {} at {} ({} endpoint, n-support {}, api key {})", config.model(),
                uri, config.endpoint().name().toLowerCase(), config.nSupport().name().toLowerCase(),
                config.apiKey() == null ? "none" : "set");
    }

    OpenAiBackend(OpenAiProperties config, HttpClient http) {
        config.validate();
        this.config = config;
        this.http = http;
        this.uri = config.endpointUri();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What was learnt about the server's n support (auto mode): null = not known yet. */
    Boolean honoursN() {
        return honoursN.get();
    }

    @Override
    public EngineOutput generate(EngineRequest request) {
        return generate(request, EngineControl.NONE);
    }

    /**
     * With streaming (the default), a cancel closes the connection at the next chunk, which stops the server's
     * generation, and what came until then is returned; partial samples are reported every
     * {@code progressTokens} tokens.
     */
    @Override
    public EngineOutput generate(EngineRequest request, EngineControl control) {
        long start = System.nanoTime();
        if (request.scoringMode()) {
            return score(request, start);
        }
        int n = request.n();
        List<Reply> replies = new ArrayList<>();
        List<Choice> choices = new ArrayList<>(n);
        boolean fanOutOnly = n > 1 && (config.nSupport() == NSupport.FANOUT
                || (config.nSupport() == NSupport.AUTO && Boolean.FALSE.equals(honoursN.get())));
        if (!fanOutOnly) {
            Reply first;
            try {
                first = call(request, n, seedFor(request, 0), start, control, 0);
            } catch (EngineException e) {
                // llama.cpp server rejects n > 1 with a 400 ("Only one completion choice is allowed") instead of
                // ignoring it; while n support is unknown, one fan-out attempt tells that apart from a bad request
                if (!(n > 1 && config.nSupport() == NSupport.AUTO && honoursN.get() == null
                        && EngineErrors.BAD_REQUEST.equals(e.code()))) {
                    throw e;
                }
                EngineOutput output = fanOut(request, 0, n, replies, choices, start, control);
                learnNotHonoured(n, 1);
                return output;
            }
            replies.add(first);
            choices.addAll(first.choices().subList(0, Math.min(n, first.choices().size())));
            if (n > 1 && !control.cancelled()) {
                if (first.choices().size() >= n) {
                    honoursN.compareAndSet(null, Boolean.TRUE);
                } else if (config.nSupport() == NSupport.NATIVE) {
                    throw new EngineException(EngineErrors.MALFORMED_RESPONSE, "openai: asked for n=" + n
                            + " but got " + first.choices().size() + " choices (n-support is native)", true, elapsedMs(start));
                } else {
                    learnNotHonoured(n, first.choices().size());
                }
            }
        }
        return fanOut(request, choices.size(), n, replies, choices, start, control);
    }

    /**
     * Scoring mode: for each continuation, {@code POST /v1/completions} with {@code prompt + continuation},
     * {@code echo: true, max_tokens: 1, logprobs: 1} (vLLM returns the prompt's token log-probabilities), in parallel;
     * the continuation's log-likelihood is the sum over the echoed tokens that cover its characters
     * ({@code text_offset}). The completions endpoint is used whatever {@code endpoint} is configured. A server that
     * returns no echoed prompt log-probabilities fails the job {@code scoring_unsupported} (not retryable).
     * Usage: the prompt counted once plus each continuation's tokens (prefix caching makes the re-reads cheap),
     * completion tokens 0, one call per continuation.
     */
    private EngineOutput score(EngineRequest request, long start) {
        URI completions = completionsUri();
        List<String> continuations = request.continuations();
        List<OpenAiWire.Echo> echoes = new ArrayList<>(continuations.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<OpenAiWire.Echo>> futures = new ArrayList<>();
            for (String continuation : continuations) {
                futures.add(executor.submit(() -> {
                    byte[] body = OpenAiWire.echoBody(config.model(), request.prompt() + continuation);
                    String reply = post(completions, body, request, start);
                    return OpenAiWire.parseEcho(reply, request.prompt().length(),
                            request.prompt().length() + continuation.length(), elapsedMs(start));
                }));
            }
            for (Future<OpenAiWire.Echo> future : futures) {
                try {
                    echoes.add(future.get());
                } catch (ExecutionException e) {
                    executor.shutdownNow();
                    if (e.getCause() instanceof EngineException engine) {
                        throw engine;
                    }
                    throw new EngineException(EngineErrors.WORKER_ERROR, "openai: scoring request failed: " + e.getCause(),
                            true, elapsedMs(start));
                } catch (InterruptedException e) {
                    executor.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new EngineException(EngineErrors.ENGINE_ERROR, "openai: interrupted while scoring", true,
                            elapsedMs(start));
                }
            }
        }
        List<Sample> samples = new ArrayList<>(echoes.size());
        long promptTokens = echoes.isEmpty() ? 0 : echoes.getFirst().promptTokens();
        for (int i = 0; i < echoes.size(); i++) {
            OpenAiWire.Echo echo = echoes.get(i);
            samples.add(new Sample(i, continuations.get(i), "stop", echo.tokens(), echo.logprob()));
            promptTokens += echo.tokens();
        }
        return new EngineOutput(samples, new Usage(promptTokens, 0, samples.size(), elapsedMs(start), 0));
    }

    private URI completionsUri() {
        String base = config.baseUrl().toString().replaceAll("/+$", "");
        return URI.create((base.endsWith("/v1") ? base : base + "/v1") + "/completions");
    }

    private void learnNotHonoured(int asked, int got) {
        if (config.nSupport() == NSupport.AUTO && honoursN.getAndSet(Boolean.FALSE) != Boolean.FALSE) {
            log.info("openai server at {} does not honour n (asked {}, got {}): fanning out single requests from now on",
                    uri, asked, got);
        }
    }

    /** Fetches samples {@code from..n-1} with parallel single requests, then assembles the output of all replies. */
    private EngineOutput fanOut(EngineRequest request, int from, int n, List<Reply> replies, List<Choice> choices,
                                long start, EngineControl control) {
        if (from < n && !control.cancelled()) {
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Reply>> futures = new ArrayList<>(n - from);
                for (int i = from; i < n; i++) {
                    Long seed = seedFor(request, i);
                    int sample = i;
                    futures.add(executor.submit(() -> call(request, 1, seed, start, control, sample)));
                }
                for (Future<Reply> future : futures) {
                    Reply reply = await(future, executor, start);
                    replies.add(reply);
                    choices.add(reply.choices().getFirst());
                }
            }
        }
        return output(replies, choices, start, control.cancelled());
    }

    private Reply await(Future<Reply> future, ExecutorService executor, long start) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // one failed sample fails the request: stop the others instead of waiting for their answers
            executor.shutdownNow();
            if (e.getCause() instanceof EngineException engine) {
                throw engine;
            }
            throw new EngineException(EngineErrors.WORKER_ERROR, "openai: fan-out request failed: " + e.getCause(),
                    true, elapsedMs(start));
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
            throw new EngineException(EngineErrors.ENGINE_ERROR, "openai: interrupted while waiting for the engine", true,
                    elapsedMs(start));
        }
    }

    private EngineOutput output(List<Reply> replies, List<Choice> choices, long start, boolean cancelled) {
        List<Sample> samples = new ArrayList<>(choices.size());
        long promptTokens = 0;
        long completionTokens = 0;
        int next = 0;
        for (Reply reply : replies) {
            // every request re-sends (and the server re-reads) the prompt, so prompt tokens add up over fan-out requests
            promptTokens += reply.promptTokens();
            long[] perChoice = tokensPerChoice(reply);
            long replyCompletion = 0;
            int used = Math.min(reply.choices().size(), choices.size() - next);
            for (int k = 0; k < used; k++) {
                Choice c = reply.choices().get(k);
                samples.add(new Sample(next++, c.text(), c.finishReason(), perChoice[k], c.logprob()));
                replyCompletion += perChoice[k];
            }
            completionTokens += Math.max(reply.completionTokens(), replyCompletion);
        }
        long engineMs = elapsedMs(start);
        log.debug("openai: {} samples from {} requests in {} ms", samples.size(), replies.size(), engineMs);
        return new EngineOutput(samples, new Usage(promptTokens, completionTokens, samples.size(), engineMs, 0),
                cancelled, timing(replies));
    }

    /**
     * The job's time to first token (its earliest reply's first token: fanned-out requests start together) and mean
     * inter-token latency over its streamed replies; null when nothing was streamed (a plain reply tells neither).
     */
    static EngineOutput.Timing timing(List<Reply> replies) {
        double first = replies.stream().map(Reply::firstTokenMs).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        if (Double.isNaN(first)) {
            return null;
        }
        double itl = replies.stream().map(Reply::interTokenMs).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).average().orElse(0);
        return new EngineOutput.Timing(first, itl);
    }

    /**
     * Completion tokens per choice. The server reports only a total; with logprobs the token count of each choice is
     * known exactly, otherwise the total is split by text length (one choice: all of it), so the sum stays the real one.
     */
    static long[] tokensPerChoice(Reply reply) {
        List<Choice> cs = reply.choices();
        long[] tokens = new long[cs.size()];
        if (cs.stream().allMatch(c -> c.tokens() != null)) {
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = cs.get(i).tokens();
            }
            return tokens;
        }
        long total = reply.completionTokens();
        long chars = cs.stream().mapToLong(c -> c.text().length()).sum();
        long assigned = 0;
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = chars == 0 ? total / tokens.length : total * cs.get(i).text().length() / chars;
            assigned += tokens[i];
        }
        for (int i = 0; assigned < total; i = (i + 1) % tokens.length) {
            tokens[i]++;
            assigned++;
        }
        return tokens;
    }

    /** Sample i uses seed + i (the contract's rule), so a fanned-out request reproduces as a native one would. */
    private static Long seedFor(EngineRequest request, int index) {
        Long seed = request.sampling().seed();
        return seed == null ? null : seed + index;
    }

    private Reply call(EngineRequest request, int n, Long seed, long start, EngineControl control, int indexOffset) {
        boolean stream = config.stream() == OpenAiProperties.Stream.ALWAYS
                || (config.stream() == OpenAiProperties.Stream.PROGRESS && request.progressTokens() > 0);
        byte[] body = OpenAiWire.requestBody(config.endpoint(), config.model(), request.prompt(), request.sampling(), n,
                seed, stream);
        if (!stream) {
            return OpenAiWire.parse(config.endpoint(), post(uri, body, request, start), elapsedMs(start));
        }
        try (InputStream events = open(uri, body, request, start)) {
            // closing the stream early (a cancel) closes the connection: the server stops generating
            return OpenAiStream.read(events, config.endpoint(), request.prompt(), control, request.progressTokens(),
                    indexOffset, elapsedMs(start), start).reply();
        } catch (IOException e) {
            throw new EngineException(EngineErrors.ENGINE_UNREACHABLE, "openai: the stream from " + uri + " broke: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + redact(e.getMessage())), true,
                    elapsedMs(start));
        }
    }

    /** POSTs a JSON body and returns the 2xx response's body; any other outcome is an {@link EngineException}. */
    private String post(URI uri, byte[] body, EngineRequest request, long start) {
        HttpResponse<String> response = send(uri, body, request, start, "application/json",
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        throw refused(uri, response.statusCode(), response.body(), start);
    }

    /** POSTs a streaming request and returns the 2xx response's event stream, for the caller to read and close. */
    private InputStream open(URI uri, byte[] body, EngineRequest request, long start) {
        HttpResponse<InputStream> response = send(uri, body, request, start, "text/event-stream",
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        throw refused(uri, response.statusCode(), text, start);
    }

    private <T> HttpResponse<T> send(URI uri, byte[] body, EngineRequest request, long start, String accept,
                                     HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.apiKey() != null) {
            builder.header("Authorization", "Bearer " + config.apiKey());
        }
        log.debug("openai: POST {} job={}", uri, request.meta().jobId());
        try {
            return http.send(builder.build(), handler);
        } catch (HttpConnectTimeoutException e) {
            throw new EngineException(EngineErrors.ENGINE_UNREACHABLE, "openai: could not connect to " + uri + " within "
                    + config.connectTimeout(), true, elapsedMs(start));
        } catch (HttpTimeoutException e) {
            throw new EngineException(EngineErrors.TIMEOUT, "openai: no response from " + uri + " within "
                    + config.requestTimeout(), true, elapsedMs(start));
        } catch (IOException e) {
            throw new EngineException(EngineErrors.ENGINE_UNREACHABLE, "openai: cannot reach " + uri + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + redact(e.getMessage())), true,
                    elapsedMs(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineErrors.ENGINE_ERROR, "openai: interrupted while waiting for " + uri, true,
                    elapsedMs(start));
        }
    }

    private EngineException refused(URI uri, int status, String body, long start) {
        String message = "openai: HTTP " + status + " from " + uri + ": " + redact(snippet(body));
        return switch (status) {
            case 429 -> new EngineException(EngineErrors.RATE_LIMITED, message, true, elapsedMs(start));
            case 408 -> new EngineException(EngineErrors.TIMEOUT, message, true, elapsedMs(start));
            default -> status >= 500
                    ? new EngineException(EngineErrors.ENGINE_ERROR, message, true, elapsedMs(start))
                    // 401/403/404/400...: the same request fails the same way again, so retrying is pointless
                    : new EngineException(EngineErrors.BAD_REQUEST, message, false, elapsedMs(start));
        };
    }

    private static String snippet(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= BODY_SNIPPET ? oneLine : oneLine.substring(0, BODY_SNIPPET) + "...";
    }

    /** Error texts come from the server and travel into results and logs; a server that echoes the key must not leak it. */
    private String redact(String text) {
        return config.apiKey() == null ? text : text.replace(config.apiKey(), "***");
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public String toString() {
        return "OpenAiBackend[" + config + "]";
    }
}
