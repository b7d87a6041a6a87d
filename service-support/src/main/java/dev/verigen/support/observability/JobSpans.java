package dev.verigen.support.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The span a service opens around one job, a child of the span the Kafka binder opened when it received the job (the
 * binder's observation carries the W3C trace context in the records' headers), so one run's trace shows every job
 * where it ran. Attribute names: {@code verigen.*} for the platform's own, OpenTelemetry's {@code gen_ai.*} where its
 * GenAI conventions define one ({@link Attributes}).
 * <p>
 * When tracing samples nothing (the default) the spans are not recorded and tagging them costs a null check; without a
 * tracer at all (unit tests) they are no-ops.
 * <p>
 * With the logger {@code verigen.jobs} at DEBUG ({@code logging.level.verigen.jobs=DEBUG}), every service writes one
 * line per job as it ends, inside the job's span, so the line carries the run's trace id like every other log line of
 * the job: from a run's trace id an operator finds its jobs in every service's log. Off by default (one level check
 * per job).
 */
public final class JobSpans {

    /** The per-job log lines' logger, the same name in every service. */
    public static final String JOB_LOG = "verigen.jobs";
    private static final Logger JOBS = LoggerFactory.getLogger(JOB_LOG);

    private final Tracer tracer;

    public JobSpans(Tracer tracer) {
        this.tracer = tracer == null ? Tracer.NOOP : tracer;
    }

    public static JobSpans noop() {
        return new JobSpans(Tracer.NOOP);
    }

    /** Opens a span for a job and makes it current until {@link Job#close()}. */
    public Job start(String name, Object runId, Object stepId, Object jobId, int attempt) {
        Span span = tracer.nextSpan().name(name);
        if (!span.isNoop()) {
            span.tag(Attributes.RUN, String.valueOf(runId)).tag(Attributes.STEP, String.valueOf(stepId))
                    .tag(Attributes.JOB, String.valueOf(jobId)).tag(Attributes.ATTEMPT, attempt);
        }
        span.start();
        return new Job(span, tracer.withSpan(span), name, runId, jobId);
    }

    /** The current trace id, or null where there is none. */
    public String currentTraceId() {
        Span current = tracer.currentSpan();
        return current == null ? null : current.context().traceId();
    }

    /** A job's span; tags are dropped (cheaply) when the span is not sampled. */
    public static final class Job implements AutoCloseable {

        private final Span span;
        private final Tracer.SpanInScope scope;
        private final String name;
        private final Object runId;
        private final Object jobId;
        private String failure;

        Job(Span span, Tracer.SpanInScope scope, String name, Object runId, Object jobId) {
            this.span = span;
            this.scope = scope;
            this.name = name;
            this.runId = runId;
            this.jobId = jobId;
        }

        public Job tag(String key, String value) {
            if (value != null && !span.isNoop()) {
                span.tag(key, value);
            }
            return this;
        }

        public Job tag(String key, long value) {
            if (!span.isNoop()) {
                span.tag(key, value);
            }
            return this;
        }

        public Job tag(String key, double value) {
            if (!span.isNoop()) {
                span.tag(key, value);
            }
            return this;
        }

        /** Marks the job as failed with the platform's error code (the span's status becomes an error). */
        public Job failed(String code, String message) {
            failure = Objects.requireNonNullElse(code, "error");
            if (!span.isNoop()) {
                span.tag(Attributes.ERROR_CODE, Objects.requireNonNullElse(code, "error"));
                span.error(new JobFailure(code + ": " + message));
            }
            return this;
        }

        public Job failed(Throwable error) {
            failure = error.getClass().getSimpleName();
            span.error(error);
            return this;
        }

        public String traceId() {
            return span.context().traceId();
        }

        @Override
        public void close() {
            if (JOBS.isDebugEnabled()) {
                // still inside the span: the line carries the trace id
                JOBS.debug("{} run {} job {} {}", name, runId, jobId, failure == null ? "done" : "failed: " + failure);
            }
            scope.close();
            span.end();
        }
    }

    /** The error a span records for a job answered with a {@code JobError}: nothing was thrown, but it failed. */
    static final class JobFailure extends RuntimeException {
        JobFailure(String message) {
            super(message, null, false, false);
        }
    }
}
