package dev.verigen.orchestrator.tracing;

import dev.verigen.support.observability.Attributes;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's side of a run's trace. Most of it is asynchronous through PostgreSQL — a job is decided in one
 * transaction and relayed to Kafka later by the outbox — so the trace context crosses the database: each step stores
 * the W3C {@code traceparent} of its span, the outbox row carries it, and the relay's send span continues it. Formats
 * and ids come from Micrometer Tracing's propagator (OpenTelemetry's W3C implementation), nothing is parsed by hand.
 * <p>
 * With sampling off (the default) spans are not recorded, but trace ids are still made and carried, so runs, logs and
 * Kafka records still share one id.
 */
@Component
public class RunTracing {

    private static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public RunTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** A span around a run's creation: a child of the request that created it, the root of the run's trace otherwise. */
    public Scoped run(UUID runId, String strategy, String tenant) {
        Span span = tracer.nextSpan().name("verigen.run");
        if (!span.isNoop()) {
            span.tag(Attributes.RUN, runId.toString()).tag(Attributes.STRATEGY, strategy).tag(Attributes.TENANT, tenant);
        }
        return new Scoped(span.start(), tracer.withSpan(span));
    }

    /** A child span of the current one, made current until closed. */
    public Scoped child(String name) {
        Span span = tracer.nextSpan().name(name).start();
        return new Scoped(span, tracer.withSpan(span));
    }

    /**
     * A span continuing a stored context (a step's, for a re-sent job), or a new trace without one.
     *
     * @param traceParent a W3C traceparent as {@link Scoped#traceParent()} made it, or null
     */
    public Scoped resume(String traceParent, String name) {
        Span span = builder(traceParent).name(name).start();
        return new Scoped(span, tracer.withSpan(span));
    }

    /**
     * A producer span for one outbox record, continuing the context stored with it, which it then writes into the
     * record's headers: the consumer's span becomes its child. Ended by the caller once the broker acknowledged.
     */
    public Span send(String traceParent, String topic, Headers headers) {
        if (traceParent == null) {
            return Span.NOOP;
        }
        Span span = builder(traceParent).name(topic + " send").kind(Span.Kind.PRODUCER).remoteServiceName("kafka")
                .tag("messaging.system", "kafka").tag("messaging.operation", "publish")
                .tag("messaging.destination.name", topic).start();
        propagator.inject(span.context(), headers, (carrier, key, value) -> {
            carrier.remove(key);
            carrier.add(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        return span;
    }

    /** Tags the current span, when one is recorded. */
    public void tag(String key, String value) {
        Span span = tracer.currentSpan();
        if (span != null && !span.isNoop() && value != null) {
            span.tag(key, value);
        }
    }

    private Span.Builder builder(String traceParent) {
        if (traceParent == null) {
            return tracer.spanBuilder().setNoParent();
        }
        return propagator.extract(Map.of(TRACEPARENT, traceParent), (carrier, key) -> carrier.get(key));
    }

    /** A started span that is current until {@link #close()}. */
    public final class Scoped implements AutoCloseable {

        private final Span span;
        private final Tracer.SpanInScope scope;

        Scoped(Span span, Tracer.SpanInScope scope) {
            this.span = span;
            this.scope = scope;
        }

        public Scoped tag(String key, String value) {
            if (value != null && !span.isNoop()) {
                span.tag(key, value);
            }
            return this;
        }

        public Scoped tag(String key, long value) {
            if (!span.isNoop()) {
                span.tag(key, value);
            }
            return this;
        }

        /** The trace's id (also when the span is not sampled); null without a tracer. */
        public String traceId() {
            String id = span.context().traceId();
            return id == null || id.isEmpty() ? null : id;
        }

        /** This span's context as a W3C traceparent, for a job to carry through the database; null without a tracer. */
        public String traceParent() {
            Map<String, String> carrier = new HashMap<>(2);
            propagator.inject(span.context(), carrier, Map::put);
            return carrier.get(TRACEPARENT);
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
