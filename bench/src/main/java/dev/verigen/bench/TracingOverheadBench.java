package dev.verigen.bench;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What tracing costs per job, measured in one run with the services' own tracer (Micrometer Tracing's OpenTelemetry
 * bridge, W3C propagation): the spans and context hand-overs one generation job makes on its way through the
 * platform — the orchestrator's step span and its stored traceparent, the outbox relay's send span and header, and on
 * each of the three Kafka hops a receive span, the service's job span with its attributes and a send span with its
 * header — under three settings:
 * <ul>
 *   <li><b>no tracer</b>: Micrometer's no-op tracer, the floor;</li>
 *   <li><b>off</b> (the default): sampling probability 0, so ids are made and propagated but nothing is recorded;</li>
 *   <li><b>on</b>: sampling probability 1, every span batched and exported over OTLP/HTTP (protobuf) to a local
 *       endpoint, as a service exports to a collector.</li>
 * </ul>
 * It measures the tracing work alone, in process, on one thread; the end-to-end effect is this cost against what a job
 * costs the platform without tracing (LIMITS.md's bare pipeline).
 */
public final class TracingOverheadBench {

    /** LIMITS.md: bare pipeline, 2 Kafka round trips + 1 batched trace row per candidate, on this kind of machine. */
    static final double BARE_PIPELINE_CANDIDATES_PER_S = PlatformThroughputBench.BARE_PIPELINE_CANDIDATES_PER_S;

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "jobs", "rounds");
        int jobs = Integer.parseInt(args.get("jobs", "20000"));
        int rounds = Integer.parseInt(args.get("rounds", "5"));
        AtomicLong exported = new AtomicLong();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/v1/traces", exchange -> {
            try (exchange) {
                exported.addAndGet(exchange.getRequestBody().readAllBytes().length);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        sink.start();
        try {
            Setting noTracer = new Setting("no tracer", Tracer.NOOP, Propagator.NOOP, null);
            Setting off = otel("off (sampling 0, the default)", Sampler.traceIdRatioBased(0.0), null);
            Setting on = otel("on (sampling 1, OTLP export)", Sampler.alwaysOn(),
                    "http://127.0.0.1:" + sink.getAddress().getPort() + "/v1/traces");
            List<Setting> settings = List.of(noTracer, off, on);
            // warm-up, then interleaved rounds so the machine's noise falls on every setting alike
            for (Setting s : settings) {
                s.time(jobs / 4);
            }
            Map<Setting, Double> best = new HashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (Setting s : settings) {
                    double nsPerJob = s.time(jobs);
                    best.merge(s, nsPerJob, Math::min);
                }
            }
            on.close(); // flushes: the export of the last round's spans is paid for before the figures are final
            off.close();
            double floor = best.get(noTracer);
            double jobBudgetNs = 1e9 / BARE_PIPELINE_CANDIDATES_PER_S;
            var rows = settings.stream().map(s -> List.of(s.name(), fmt(best.get(s) / 1000.0),
                    fmt(best.get(s) / floor), pct((best.get(s) - floor) / jobBudgetNs))).toList();
            new Report("tracing", "Tracing overhead: per job, off and on")
                    .para("The spans and trace-context hand-overs of one generation job through the platform (the "
                            + "orchestrator's step span and stored traceparent, the outbox relay's send span and header, "
                            + "then on each of three Kafka hops a receive span, the service's job span with its "
                            + "attributes and a send span with its header: 12 spans with the request), with the services' tracer "
                            + "(Micrometer Tracing over OpenTelemetry, W3C propagation), on one thread, best of "
                            + rounds + " interleaved rounds of " + jobs + " jobs. \"on\" exports every span over "
                            + "OTLP/HTTP to a local endpoint (" + String.format(Locale.ROOT, "%.1f", exported.get() / 1e6)
                            + " MB sent). This is the tracing work alone; the last column puts its cost beside what one "
                            + "candidate costs the bare pipeline on this kind of machine (LIMITS.md: "
                            + String.format(Locale.ROOT, "%,.0f", BARE_PIPELINE_CANDIDATES_PER_S)
                            + " candidates/s, two Kafka round trips each), i.e. the overhead a job of one sample would "
                            + "see if the pipeline were otherwise bound by that ceiling; a job of n samples shares it n ways.")
                    .table(List.of("setting", "µs per job", "× no tracer", "added per candidate at the bare-pipeline ceiling"),
                            rows)
                    .emit(Report.command("tracing", argv), args.flag("write"));
        } finally {
            sink.stop(0);
        }
    }

    private static Setting otel(String name, Sampler sampler, String endpoint) {
        var provider = SdkTracerProvider.builder().setSampler(Sampler.parentBased(sampler));
        if (endpoint != null) {
            provider.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
                    .build()).setScheduleDelay(200, TimeUnit.MILLISECONDS)
                    // room for a whole round's spans, so none is dropped and every span's export is paid for
                    .setMaxQueueSize(1 << 18).setMaxExportBatchSize(2048).build());
        }
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        var otelTracer = sdk.getTracer("verigen-bench");
        OtelTracer tracer = new OtelTracer(otelTracer, new OtelCurrentTraceContext(), event -> {
        });
        return new Setting(name, tracer, new OtelPropagator(sdk.getPropagators(), otelTracer), sdk);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%+.1f%%", 100 * v);
    }

    private record Setting(String name, Tracer tracer, Propagator propagator, OpenTelemetrySdk sdk) {

        /** @return nanoseconds per job */
        double time(int jobs) {
            long sink = 0;
            long start = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                sink += job(i);
            }
            long took = System.nanoTime() - start;
            if (sink == 42) {
                System.out.print("");
            }
            return (double) took / jobs;
        }

        /** One job's tracing, as RunDriver, OutboxRelay, the binders and JobSpans do it. */
        private int job(int i) {
            Span request = tracer.nextSpan().name("POST /v1/runs").start();
            String stored;
            try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
                Span step = tracer.nextSpan().name("verigen.step generation").start();
                tagged(step, i);
                Map<String, String> carrier = new HashMap<>(2);
                propagator.inject(step.context(), carrier, Map::put);
                stored = carrier.get("traceparent");
                step.end();
            } finally {
                request.end();
            }
            Map<String, String> headers = new HashMap<>(4);
            Span send = builder(stored).name("verigen.gen.jobs send").kind(Span.Kind.PRODUCER).start();
            propagator.inject(send.context(), headers, Map::put);
            send.end();
            for (int hop = 0; hop < 3; hop++) {
                Span receive = builder(headers.get("traceparent")).name("receive").kind(Span.Kind.CONSUMER).start();
                try (Tracer.SpanInScope ignored = tracer.withSpan(receive)) {
                    Span work = tracer.nextSpan().name("verigen.worker.generate").start();
                    try (Tracer.SpanInScope inner = tracer.withSpan(work)) {
                        tagged(work, i);
                        Span out = tracer.nextSpan().name("send").start();
                        headers = new HashMap<>(4);
                        propagator.inject(out.context(), headers, Map::put);
                        out.end();
                    } finally {
                        work.end();
                    }
                } finally {
                    receive.end();
                }
            }
            return headers.size();
        }

        private Span.Builder builder(String traceParent) {
            return traceParent == null ? tracer.spanBuilder()
                    : propagator.extract(Map.of("traceparent", traceParent), Map::get);
        }

        private static void tagged(Span span, int i) {
            if (!span.isNoop()) {
                span.tag("verigen.run.id", "run-" + (i & 1023)).tag("verigen.step.id", "step-" + i)
                        .tag("verigen.job.id", "job-" + i).tag("verigen.job.attempt", 1)
                        .tag("gen_ai.request.model", "sim-math").tag("gen_ai.usage.input_tokens", 40)
                        .tag("gen_ai.usage.output_tokens", 512).tag("verigen.pool", "sim-math");
            }
        }

        void close() {
            if (sdk != null) {
                sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
                sdk.close();
            }
        }
    }
}
