package dev.verigen.generator.jobs;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.KafkaHeaders;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Usage;
import dev.verigen.generator.GeneratorProperties;
import dev.verigen.support.observability.Attributes;
import dev.verigen.support.observability.JobSpans;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The Kafka side: binding {@code jobs-in-0} (verigen.gen.jobs). Engine requests go to the pool's topic, which is
 * only known per job, so both outputs are sent through {@link StreamBridge} (dynamic destinations) as raw bytes
 * encoded with contracts' {@link Json}. The binder's observation (enable-observation) carries the trace context from
 * the job to the engine request or error result sent while the job's span is current.
 */
@Configuration(proxyBeanMethods = false)
public class GenerationJobBinding {

    public static final String DISPATCH_FAILED = "dispatch_failed";

    private static final Logger log = LoggerFactory.getLogger(GenerationJobBinding.class);

    @Bean
    JobRouter jobRouter(GeneratorProperties properties) {
        return new JobRouter(properties);
    }

    @Bean
    Consumer<Message<byte[]>> jobs(JobRouter router, StreamBridge bridge, MeterRegistry registry,
                                   ObjectProvider<JobSpans> jobSpans) {
        JobSpans spans = jobSpans.getIfAvailable(JobSpans::noop);
        return message -> {
            GenerationJob job;
            try {
                job = Json.read(message.getPayload(), GenerationJob.class);
            } catch (Json.MalformedMessageException e) {
                // to verigen.gen.jobs.dlt with the reason (the binding's enable-dlq); the partition moves on
                log.warn("dead-lettering undecodable generation job: {}", e.getMessage());
                throw e;
            }
            String outcome;
            // the binder's receive span is current: this one is its child, and the sends below are this one's
            try (JobSpans.Job span = spans.start("verigen.generator.route", job.meta().runId(), job.meta().stepId(),
                    job.meta().jobId(), job.meta().attempt())) {
                span.tag(Attributes.POOL, job.pool()).tag(Attributes.GEN_AI_MODEL, job.pool())
                        .tag(Attributes.ROLE, job.role().name().toLowerCase()).tag(Attributes.SAMPLES, job.n());
                outcome = route(router, bridge, job);
                span.tag(Attributes.OUTCOME, outcome);
            }
            registry.counter("verigen.generator.jobs", "role", job.role().name().toLowerCase(), "outcome", outcome)
                    .increment();
        };
    }

    private static String route(JobRouter router, StreamBridge bridge, GenerationJob job) {
        String outcome;
        try {
            switch (router.route(job)) {
                case JobRouter.Dispatch d -> {
                    send(bridge, d.destination(), Json.write(d.request()), d.key(), job.meta().jobId());
                    outcome = "dispatched";
                }
                case JobRouter.Reject r -> {
                    log.info("job {} rejected: {}", job.meta().jobId(), r.result().error().message());
                    sendResult(bridge, r.result());
                    outcome = r.result().error().code();
                }
            }
        } catch (RuntimeException e) {
            // the orchestrator waits for every job: tell it this one failed rather than drop it
            log.error("job {} could not be dispatched to pool {}", job.meta().jobId(), job.pool(), e);
            sendResult(bridge, GenerationResult.failed(job.meta(), job.pool(), null,
                    new JobError(DISPATCH_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), true),
                    Usage.ZERO));
            outcome = DISPATCH_FAILED;
        }
        return outcome;
    }

    /** To the job's replyTo when it has one (e.g. reward-model-svc's own topic), else verigen.gen.results. */
    private static void sendResult(StreamBridge bridge, GenerationResult result) {
        send(bridge, result.meta().resultTopic(Topics.GENERATION_RESULTS), Json.write(result),
                result.meta().runId().toString().getBytes(StandardCharsets.UTF_8), result.meta().jobId());
    }

    private static void send(StreamBridge bridge, String destination, byte[] payload, byte[] key, UUID jobId) {
        var message = MessageBuilder.withPayload(payload)
                .setHeader(org.springframework.kafka.support.KafkaHeaders.KEY, key)
                .setHeader(KafkaHeaders.JOB_ID, jobId.toString().getBytes(StandardCharsets.UTF_8));
        if (!bridge.send(destination, message.build())) {
            throw new IllegalStateException("message to " + destination + " was not accepted");
        }
    }
}
