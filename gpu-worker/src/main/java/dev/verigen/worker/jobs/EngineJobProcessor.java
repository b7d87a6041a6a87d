package dev.verigen.worker.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Usage;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import dev.verigen.support.observability.Attributes;
import dev.verigen.support.observability.JobSpans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Runs one decoded request through the backend and always answers with a result: samples, or an error saying why. */
public final class EngineJobProcessor {

    private static final Logger log = LoggerFactory.getLogger(EngineJobProcessor.class);

    private final String pool;
    private final EngineBackend backend;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final JobSpans spans;

    public EngineJobProcessor(String pool, EngineBackend backend, WorkerMetrics metrics, Clock clock) {
        this(pool, backend, metrics, clock, JobSpans.noop());
    }

    public EngineJobProcessor(String pool, EngineBackend backend, WorkerMetrics metrics, Clock clock, JobSpans spans) {
        this.pool = pool;
        this.backend = backend;
        this.metrics = metrics;
        this.clock = clock;
        this.spans = spans;
    }

    public GenerationResult process(EngineRequest request) {
        return process(request, EngineControl.NONE);
    }

    /** As {@link #process(EngineRequest)}, with the job's control: a cancelled job answers with what it generated. */
    public GenerationResult process(EngineRequest sent, EngineControl control) {
        EngineRequest request = ReservationCap.fit(sent);
        Instant start = clock.instant();
        long started = System.nanoTime();
        metrics.started();
        // a child of the binder's receive span; the result sent after it is a child of that receive span too
        try (JobSpans.Job span = spans.start("verigen.worker.generate", request.meta().runId(),
                request.meta().stepId(), request.meta().jobId(), request.meta().attempt())) {
            span.tag(Attributes.GEN_AI_OPERATION, request.scoringMode() ? "likelihood" : "text_completion")
                    .tag(Attributes.GEN_AI_MODEL, pool).tag(Attributes.POOL, pool)
                    .tag(Attributes.BACKEND, backend.name()).tag(Attributes.GEN_AI_CHOICES, request.n())
                    .tag(Attributes.GEN_AI_TEMPERATURE, request.sampling().temperature())
                    .tag(Attributes.GEN_AI_MAX_TOKENS, request.sampling().maxTokens());
            Ran ran = run(request, control, start);
            GenerationResult result = ran.result();
            span.tag(Attributes.GEN_AI_INPUT_TOKENS, result.usage().promptTokens())
                    .tag(Attributes.GEN_AI_OUTPUT_TOKENS, result.usage().completionTokens())
                    .tag(Attributes.SAMPLES, result.samples().size());
            if (!result.samples().isEmpty()) {
                span.tag(Attributes.GEN_AI_FINISH_REASONS, result.samples().stream()
                        .map(GenerationResult.Sample::finishReason).distinct().sorted().toList().toString());
            }
            if (result.error() != null) {
                span.failed(result.error().code(), result.error().message());
            }
            metrics.finished(result, ran.timing(), Duration.ofNanos(System.nanoTime() - started));
            return result;
        }
    }

    private record Ran(GenerationResult result, EngineOutput.Timing timing) {
        Ran(GenerationResult failed) {
            this(failed, null);
        }
    }

    private Ran run(EngineRequest request, EngineControl control, Instant start) {
        if (request.meta().deadline() != null && request.meta().deadline().isBefore(start)) {
            return new Ran(failed(request, EngineErrors.DEADLINE_EXCEEDED,
                    "deadline " + request.meta().deadline() + " passed before the job ran", false, 0, start));
        }
        if (!pool.equals(request.pool())) {
            return new Ran(failed(request, EngineErrors.WRONG_POOL,
                    "request for pool " + request.pool() + " reached a worker of pool " + pool, false, 0, start));
        }
        if (control.cancelled()) {
            return new Ran(GenerationResult.failed(request.meta(), pool, backend.name(), new JobError(EngineErrors.CANCELLED,
                    "cancelled before it started; nothing was generated", false), new Usage(0, 0, 0, 0, wallMs(start))));
        }
        try {
            EngineOutput output = backend.generate(request, control);
            Usage u = output.usage();
            Usage usage = new Usage(u.promptTokens(), u.completionTokens(), u.calls(), u.engineMs(), wallMs(start));
            JobError cancelled = output.cancelled() ? new JobError(EngineErrors.CANCELLED, "cancelled after "
                    + u.completionTokens() + " generated tokens; the samples are cut there", false) : null;
            return new Ran(new GenerationResult(request.meta(), pool, backend.name(), output.samples(), usage, cancelled),
                    output.timing());
        } catch (EngineException e) {
            log.info("job {} failed in engine {}: {} ({})", request.meta().jobId(), backend.name(), e.code(), e.getMessage());
            return new Ran(failed(request, e.code(), e.getMessage(), e.retryable(), e.engineMs(), start));
        } catch (IllegalArgumentException e) {
            log.warn("job {} rejected: {}", request.meta().jobId(), e.getMessage());
            return new Ran(failed(request, EngineErrors.BAD_REQUEST, e.getMessage(), false, 0, start));
        } catch (RuntimeException e) {
            log.error("job {} failed unexpectedly in engine {}", request.meta().jobId(), backend.name(), e);
            return new Ran(failed(request, EngineErrors.WORKER_ERROR,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), true, 0, start));
        }
    }

    private GenerationResult failed(EngineRequest request, String code, String message, boolean retryable,
                                    long engineMs, Instant start) {
        // an engine call that ran counts as spent calls, so the budget settles on what really happened
        long calls = engineMs > 0 ? request.n() : 0;
        return GenerationResult.failed(request.meta(), pool, backend.name(), new JobError(code, message, retryable),
                new Usage(0, 0, calls, engineMs, wallMs(start)));
    }

    private long wallMs(Instant start) {
        return Math.max(0, Duration.between(start, clock.instant()).toMillis());
    }
}
