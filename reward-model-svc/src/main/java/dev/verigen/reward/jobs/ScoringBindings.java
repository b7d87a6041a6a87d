package dev.verigen.reward.jobs;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.reward.scoring.ScoringService;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The Kafka edge: bytes in, bytes out, decoded and encoded only with the contracts' {@link Json} so the wire format
 * is the same in every service. Binding {@code score-in-0} ← {@code verigen.score.jobs},
 * {@code score-out-0} → {@code verigen.score.results}.
 */
@Configuration(proxyBeanMethods = false)
class ScoringBindings {

    private static final Logger log = LoggerFactory.getLogger(ScoringBindings.class);

    @Bean
    Function<Message<byte[]>, Message<byte[]>> score(ScoringService service, MeterRegistry meters) {
        return message -> {
            ScoringJob job;
            try {
                job = Json.read(message.getPayload(), ScoringJob.class);
            } catch (Json.MalformedMessageException e) {
                // nothing to answer to without a job id; retrying cannot fix the bytes, so drop it loudly
                meters.counter("verigen.reward.malformed").increment();
                log.warn("dropping malformed scoring job (topic {}, offset {}): {}",
                        message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC),
                        message.getHeaders().get(KafkaHeaders.OFFSET), e.getMessage());
                return null; // a null result sends nothing
            }
            ScoringResult result = service.score(job);
            MessageBuilder<byte[]> out = MessageBuilder.withPayload(Json.write(result))
                    .setHeader(KafkaHeaders.KEY, job.meta().runId().toString().getBytes(StandardCharsets.UTF_8))
                    .setHeader(dev.verigen.contracts.KafkaHeaders.JOB_ID,
                            job.meta().jobId().toString().getBytes(StandardCharsets.UTF_8));
            Object traceparent = message.getHeaders().get(dev.verigen.contracts.KafkaHeaders.TRACEPARENT);
            if (traceparent != null) {
                out.setHeader(dev.verigen.contracts.KafkaHeaders.TRACEPARENT, traceparent);
            }
            return out.build();
        };
    }
}
