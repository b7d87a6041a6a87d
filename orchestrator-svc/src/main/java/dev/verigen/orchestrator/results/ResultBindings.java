package dev.verigen.orchestrator.results;

import dev.verigen.contracts.GenerationProgress;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.orchestrator.engine.ResultApplier;
import dev.verigen.support.observability.DroppedMessages;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.kafka.support.KafkaHeaders;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The result topics, bound as functions. A message that is not a valid result is dropped with a warning:
 * retrying cannot fix it, and it must not block the partition.
 */
@Configuration
public class ResultBindings {

    private static final Logger log = LoggerFactory.getLogger(ResultBindings.class);

    @Bean
    public Consumer<Message<byte[]>> generationResults(ResultApplier applier, MeterRegistry meters) {
        return message -> decode(message, GenerationResult.class, applier::apply, meters);
    }

    /** Samples so far of running jobs that asked for them. */
    @Bean
    public Consumer<Message<byte[]>> generationProgress(ResultApplier applier, MeterRegistry meters) {
        return message -> decode(message, GenerationProgress.class, applier::apply, meters);
    }

    @Bean
    public Consumer<Message<byte[]>> verificationResults(ResultApplier applier, MeterRegistry meters) {
        return message -> decode(message, VerificationResult.class, applier::apply, meters);
    }

    @Bean
    public Consumer<Message<byte[]>> scoringResults(ResultApplier applier, MeterRegistry meters) {
        return message -> decode(message, ScoringResult.class, applier::apply, meters);
    }

    private static <T> void decode(Message<byte[]> message, Class<T> type, Consumer<T> handler, MeterRegistry meters) {
        T result;
        try {
            result = Json.read(message.getPayload(), type);
        } catch (Json.MalformedMessageException e) {
            log.warn("dropped a malformed {}: {}", type.getSimpleName(), e.getMessage());
            DroppedMessages.count(meters, String.valueOf(message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC)),
                    DroppedMessages.MALFORMED);
            return;
        }
        handler.accept(result);
    }
}
