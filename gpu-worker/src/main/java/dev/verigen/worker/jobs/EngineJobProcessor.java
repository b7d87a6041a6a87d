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

    public EngineJobProcessor(String pool, EngineBackend backend, WorkerMetrics metrics, Clock clock) {
        this.pool = pool;
        this.backend = backend;
        this.metrics = metrics;
        this.clock = clock;
    }

    public GenerationResult process(EngineRequest request) {
        return process(request, EngineControl.NONE);
    }

    /** As {@link #process(EngineRequest)}, with the job's control: a cancelled job answers with what it generated. */
    public GenerationResult process(EngineRequest request, EngineControl control) {
        Instant start = clock.instant();
        metrics.started();
        GenerationResult result = run(request, control, start);
        metrics.finished(result);
        return result;
    }

    private GenerationResult run(EngineRequest request, EngineControl control, Instant start) {
        if (request.meta().deadline() != null && request.meta().deadline().isBefore(start)) {
            return failed(request, EngineErrors.DEADLINE_EXCEEDED,
                    "deadline " + request.meta().deadline() + " passed before the job ran", false, 0, start);
        }
        if (!pool.equals(request.pool())) {
            return failed(request, EngineErrors.WRONG_POOL,
                    "request for pool " + request.pool() + " reached a worker of pool " + pool, false, 0, start);
        }
        if (control.cancelled()) {
            return GenerationResult.failed(request.meta(), pool, backend.name(), new JobError(EngineErrors.CANCELLED,
                    "cancelled before it started; nothing was generated", false), new Usage(0, 0, 0, 0, wallMs(start)));
        }
        try {
            EngineOutput output = backend.generate(request, control);
            Usage u = output.usage();
            Usage usage = new Usage(u.promptTokens(), u.completionTokens(), u.calls(), u.engineMs(), wallMs(start));
            JobError cancelled = output.cancelled() ? new JobError(EngineErrors.CANCELLED, "cancelled after "
                    + u.completionTokens() + " generated tokens; the samples are cut there", false) : null;
            return new GenerationResult(request.meta(), pool, backend.name(), output.samples(), usage, cancelled);
        } catch (EngineException e) {
            log.info("job {} failed in engine {}: {} ({})", request.meta().jobId(), backend.name(), e.code(), e.getMessage());
            return failed(request, e.code(), e.getMessage(), e.retryable(), e.engineMs(), start);
        } catch (IllegalArgumentException e) {
            log.warn("job {} rejected: {}", request.meta().jobId(), e.getMessage());
            return failed(request, EngineErrors.BAD_REQUEST, e.getMessage(), false, 0, start);
        } catch (RuntimeException e) {
            log.error("job {} failed unexpectedly in engine {}", request.meta().jobId(), backend.name(), e);
            return failed(request, EngineErrors.WORKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    true, 0, start);
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
