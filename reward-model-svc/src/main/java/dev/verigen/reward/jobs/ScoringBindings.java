package dev.verigen.reward.jobs;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Topics;
import dev.verigen.support.observability.Attributes;
import dev.verigen.support.observability.JobSpans;
import dev.verigen.reward.scoring.ScoringService;
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
 * is the same in every service. Binding {@code score-in-0} ← {@code verigen.score.jobs},
 * {@code score-out-0} → {@code verigen.score.results}.
 */
@Configuration(proxyBeanMethods = false)
class ScoringBindings {

    private static final Logger log = LoggerFactory.getLogger(ScoringBindings.class);

    @Bean
    Function<Message<byte[]>, Message<byte[]>> score(ScoringService service, MeterRegistry meters,
                                                     ObjectProvider<JobSpans> jobSpans) {
        JobSpans spans = jobSpans.getIfAvailable(JobSpans::noop);
        return message -> {
            ScoringJob job;
            try {
                job = Json.read(message.getPayload(), ScoringJob.class);
            } catch (Json.MalformedMessageException e) {
                // nothing to answer to without a job id: to verigen.score.jobs.dlt with the reason (enable-dlq)
                meters.counter("verigen.reward.malformed").increment();
                log.warn("dead-lettering malformed scoring job (topic {}, offset {}): {}",
                        message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC),
                        message.getHeaders().get(KafkaHeaders.OFFSET), e.getMessage());
                throw e;
            }
            ScoringResult result;
            // a child of the binder's receive span; judge and likelihood generations sent meanwhile are its children
            try (JobSpans.Job span = spans.start("verigen.reward.score", job.meta().runId(), job.meta().stepId(),
                    job.meta().jobId(), job.meta().attempt())) {
                span.tag(Attributes.SCORER, job.scorer()).tag(Attributes.CANDIDATES, job.candidates().size());
                result = service.score(job);
                result.scores().stream().mapToDouble(Score::value).max()
                        .ifPresent(max -> span.tag(Attributes.SCORE_MAX, max));
                span.tag(Attributes.GEN_AI_INPUT_TOKENS, result.usage().promptTokens())
                        .tag(Attributes.GEN_AI_OUTPUT_TOKENS, result.usage().completionTokens());
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
