package dev.verigen.worker.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.KafkaHeaders;
import dev.verigen.worker.WorkerProperties;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.sim.SimBackend;
import dev.verigen.support.deadletters.DeadLetters;
import dev.verigen.support.observability.JobSpans;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.verigen.contracts.Topics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.verigen.contracts.CancelJobs;
import dev.verigen.contracts.GenerationProgress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Kafka side: binding {@code engine-in-0} (verigen.gpu.jobs.&lt;pool&gt;) to {@code engine-out-0}
 * (verigen.gen.results). Raw bytes in and out, decoded only with contracts' {@link Json}. A request whose
 * {@code meta.replyTo} names another topic (reward-model-svc's own results topic, for judge and likelihood jobs) is
 * answered there through {@link StreamBridge}; {@link dev.verigen.contracts.JobMeta} admits only {@code verigen.} topics.
 * Binding {@code cancels-in-0} (verigen.gen.cancels, no consumer group: every instance reads every cancel) stops the
 * jobs it names; partial samples of jobs that asked for them go to verigen.gen.progress.
 */
@Configuration(proxyBeanMethods = false)
public class EngineJobBinding {

    private static final Logger log = LoggerFactory.getLogger(EngineJobBinding.class);
    /** A little under Kafka's default 1 MiB {@code message.max.bytes} and {@code max.request.size}: room for headers. */
    static final int MAX_RESULT_BYTES = 1_000_000;

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WorkerMetrics workerMetrics(MeterRegistry registry, WorkerProperties properties, EngineBackend backend,
                                ObjectProvider<SimBackend> simulator) {
        SimBackend sim = simulator.getIfAvailable();
        return new WorkerMetrics(registry, properties.pool(), backend.name(), sim == null ? null : sim::waitingSequences);
    }

    @Bean
    EngineJobProcessor engineJobProcessor(WorkerProperties properties, EngineBackend backend, WorkerMetrics metrics,
                                          Clock clock, ObjectProvider<JobSpans> spans) {
        return new EngineJobProcessor(properties.pool(), backend, metrics, clock, spans.getIfAvailable(JobSpans::noop));
    }

    @Bean
    InFlightJobs inFlightJobs(WorkerProperties properties, EngineBackend backend) {
        return new InFlightJobs(properties.pool(), backend.name());
    }

    /** Stops the jobs a {@link CancelJobs} names, here or when they arrive. */
    @Bean
    Consumer<Message<byte[]>> cancels(InFlightJobs inFlight, MeterRegistry registry) {
        return message -> {
            try {
                CancelJobs cancel = Json.read(message.getPayload(), CancelJobs.class);
                inFlight.cancel(cancel.jobIds());
            } catch (Json.MalformedMessageException e) {
                // every instance reads every cancel (no consumer group), so there is no one dead-letter topic for it:
                // counted as a dead letter and dropped; the jobs it would have stopped end by their deadlines
                log.warn("dropping undecodable cancel: {}", e.getMessage());
                DeadLetters.count(registry, Topics.GENERATION_CANCELS, DeadLetters.MALFORMED);
            }
        };
    }

    /** Returns null for an undecodable message: Spring Cloud Stream then sends nothing, and the record is skipped. */
    @Bean
    Function<Message<byte[]>, Message<byte[]>> engine(EngineJobProcessor processor, InFlightJobs inFlight,
                                                      ObjectProvider<StreamBridge> bridge, MeterRegistry registry) {
        return message -> {
            EngineRequest request;
            try {
                request = Json.read(message.getPayload(), EngineRequest.class);
            } catch (Json.MalformedMessageException e) {
                // to verigen.gpu.jobs.<pool>.dlt with the reason (the binding's enable-dlq); the partition moves on
                log.warn("dead-lettering undecodable engine request: {}", e.getMessage());
                throw e;
            }
            var job = inFlight.start(request, progress -> sendProgress(bridge, progress));
            GenerationResult result;
            try {
                result = processor.process(request, job);
            } finally {
                inFlight.finish(job);
            }
            Message<byte[]> out = MessageBuilder.withPayload(encode(result))
                    // keyed by run, so one run's results stay in order on one partition
                    .setHeader(org.springframework.kafka.support.KafkaHeaders.KEY,
                            result.meta().runId().toString().getBytes(StandardCharsets.UTF_8))
                    .setHeader(KafkaHeaders.JOB_ID, result.meta().jobId().toString().getBytes(StandardCharsets.UTF_8))
                    .build();
            String topic = request.meta().resultTopic(Topics.GENERATION_RESULTS);
            if (topic.equals(Topics.GENERATION_RESULTS)) {
                return out;
            }
            if (!bridge.getObject().send(topic, out)) {
                // not committed as if answered: the binding retries, then dead-letters the job with this reason
                throw new IllegalStateException("result of job " + request.meta().jobId() + " was not accepted by "
                        + topic);
            }
            return null; // answered on the reply topic; nothing for engine-out-0
        };
    }

    /**
     * The result's bytes, or, when they are more than the broker accepts (64 samples of 32 KB), a failed result in
     * their place: it still books the usage the job really spent, and its run hears why at once instead of at a
     * timeout.
     */
    static byte[] encode(GenerationResult result) {
        byte[] bytes = Json.write(result);
        if (bytes.length <= MAX_RESULT_BYTES) {
            return bytes;
        }
        log.warn("result of job {} is {} bytes, over the {}-byte message limit; answering with an error",
                result.meta().jobId(), bytes.length, MAX_RESULT_BYTES);
        return Json.write(GenerationResult.failed(result.meta(), result.pool(), result.backend(),
                new JobError("message_too_large", "the generation result is " + bytes.length + " bytes, over the "
                        + MAX_RESULT_BYTES + "-byte message limit; ask for fewer or shorter samples", false),
                result.usage()));
    }

    private static void sendProgress(ObjectProvider<StreamBridge> bridge, GenerationProgress progress) {
        Message<byte[]> out = MessageBuilder.withPayload(Json.write(progress))
                .setHeader(org.springframework.kafka.support.KafkaHeaders.KEY,
                        progress.meta().runId().toString().getBytes(StandardCharsets.UTF_8))
                .build();
        if (!bridge.getObject().send(Topics.GENERATION_PROGRESS, out)) {
            log.debug("progress of job {} was not accepted", progress.meta().jobId());
        }
    }

    private static Map<String, Object> traceContext(Message<?> message) {
        Object traceparent = message.getHeaders().get(KafkaHeaders.TRACEPARENT);
        return traceparent == null ? Map.of() : Map.of(KafkaHeaders.TRACEPARENT, traceparent);
    }
}
