package dev.verigen.support.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Objects;

/**
 * The span a service opens around one job, a child of the span the Kafka binder opened when it received the job (the
 * binder's observation carries the W3C trace context in the records' headers), so one run's trace shows every job
 * where it ran. Attribute names: {@code verigen.*} for the platform's own, OpenTelemetry's {@code gen_ai.*} where its
 * GenAI conventions define one ({@link Attributes}).
 * <p>
 * When tracing samples nothing (the default) the spans are not recorded and tagging them costs a null check; without a
 * tracer at all (unit tests) they are no-ops.
 */
public final class JobSpans {

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
        return new Job(span, tracer.withSpan(span));
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

        Job(Span span, Tracer.SpanInScope scope) {
            this.span = span;
            this.scope = scope;
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
            if (!span.isNoop()) {
                span.tag(Attributes.ERROR_CODE, Objects.requireNonNullElse(code, "error"));
                span.error(new JobFailure(code + ": " + message));
            }
            return this;
        }

        public Job failed(Throwable error) {
            span.error(error);
            return this;
        }

        public String traceId() {
            return span.context().traceId();
        }

        @Override
        public void close() {
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
