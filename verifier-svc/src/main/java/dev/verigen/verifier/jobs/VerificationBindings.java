package dev.verigen.verifier.jobs;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.support.observability.Attributes;
import dev.verigen.support.observability.JobSpans;
import java.util.Map;
import java.util.stream.Collectors;
import dev.verigen.contracts.VerificationResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The Kafka edge: bytes in, bytes out, decoded and encoded only with the contracts' {@link Json} so the wire format
 * is the same in every service. Binding {@code verify-in-0} ← {@code verigen.verify.jobs},
 * {@code verify-out-0} → {@code verigen.verify.results}.
 */
@Configuration(proxyBeanMethods = false)
class VerificationBindings {

    private static final Logger log = LoggerFactory.getLogger(VerificationBindings.class);

    @Bean
    Function<Message<byte[]>, Message<byte[]>> verify(VerificationService service, MeterRegistry meters,
                                                      ObjectProvider<JobSpans> jobSpans) {
        JobSpans spans = jobSpans.getIfAvailable(JobSpans::noop);
        return message -> {
            VerificationJob job;
            try {
                job = Json.read(message.getPayload(), VerificationJob.class);
            } catch (Json.MalformedMessageException e) {
                // nothing to answer to without a job id: to verigen.verify.jobs.dlt with the reason (enable-dlq)
                meters.counter("verigen.verifier.malformed").increment();
                log.warn("dead-lettering malformed verification job (topic {}, offset {}): {}",
                        message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC),
                        message.getHeaders().get(KafkaHeaders.OFFSET), e.getMessage());
                throw e;
            }
            VerificationResult result;
            try (JobSpans.Job span = spans.start("verigen.verifier.verify", job.meta().runId(), job.meta().stepId(),
                    job.meta().jobId(), job.meta().attempt())) {
                span.tag(Attributes.VERIFIER, job.verifier().type()).tag(Attributes.CANDIDATES, job.candidates().size());
                result = service.verify(job);
                Map<Verdict.Outcome, Long> outcomes = result.verdicts().stream()
                        .collect(Collectors.groupingBy(Verdict::outcome, Collectors.counting()));
                span.tag(Attributes.VERDICTS_PASS, outcomes.getOrDefault(Verdict.Outcome.PASS, 0L))
                        .tag(Attributes.VERDICTS_FAIL, outcomes.getOrDefault(Verdict.Outcome.FAIL, 0L))
                        .tag(Attributes.VERDICTS_ERROR, outcomes.getOrDefault(Verdict.Outcome.ERROR, 0L));
                if (result.error() != null) {
                    span.failed(result.error().code(), result.error().message());
                }
            }
            MessageBuilder<byte[]> out = MessageBuilder.withPayload(Json.write(result))
                    .setHeader(KafkaHeaders.KEY, job.meta().runId().toString().getBytes(StandardCharsets.UTF_8))
                    .setHeader(dev.verigen.contracts.KafkaHeaders.JOB_ID,
                            job.meta().jobId().toString().getBytes(StandardCharsets.UTF_8));
            return out.build();
        };
    }
}
