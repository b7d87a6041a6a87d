package dev.verigen.orchestrator.results;

import dev.verigen.contracts.GenerationProgress;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.orchestrator.engine.ResultApplier;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.kafka.support.KafkaHeaders;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The result topics, bound as functions. A message that is not a valid result goes to its topic's dead-letter topic
 * ({@code <topic>.dlt}, the bindings' {@code enable-dlq}) with the reason: retrying cannot fix it, and it must not
 * block the partition. So does a result whose application still fails after the binding's retries; its job is then
 * answered by the timeout sweep (sent again, then failed).
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
            // to <topic>.dlt with the reason (the bindings' enable-dlq); the partition moves on
            log.warn("dead-lettering a malformed {}: {}", type.getSimpleName(), e.getMessage());
            throw e;
        }
        handler.accept(result);
    }
}
