package dev.verigen.orchestrator.results;

import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.engine.ResultApplier;
import dev.verigen.orchestrator.traces.StepRepository;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Jobs a service dead-lettered ({@code verigen.*jobs*.dlt}): a job that decoded but could not be acted on fails its
 * step at once with {@code dead_lettered} and the service's reason, instead of its run waiting for the deadline and
 * the same failure on every attempt. The strategy decides what the failed step means for the run. A dead letter with
 * no job id (undecodable bytes) belongs to no run; it is only counted where it was dead-lettered.
 */
@Configuration
public class DeadJobBindings {

    public static final String CODE = "dead_lettered";
    private static final Logger log = LoggerFactory.getLogger(DeadJobBindings.class);

    @Bean
    public Consumer<Message<byte[]>> deadJobs(ResultApplier applier, StepRepository steps) {
        return message -> {
            try {
                fail(message, applier, steps);
            } catch (RuntimeException e) {
                // never dead-letter a dead letter: its step still ends by its deadline
                log.warn("could not act on a dead-lettered job: {}", e.getMessage());
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static void fail(Message<byte[]> message, ResultApplier applier, StepRepository steps) {
        Map<String, Object> meta;
        try {
            meta = (Map<String, Object>) Json.read(message.getPayload(), Map.class).get("meta");
        } catch (Json.MalformedMessageException e) {
            return;
        }
        if (meta == null || meta.get("jobId") == null || meta.get("attempt") == null) {
            return;
        }
        UUID jobId = UUID.fromString(meta.get("jobId").toString());
        int attempt = ((Number) meta.get("attempt")).intValue();
        String reason = header(message, "x-exception-message");
        String topic = header(message, "x-original-topic");
        // only the attempt that died: a later one, sent by the timeout sweep, may still succeed
        if (steps.findByJob(jobId).filter(step -> step.attempt() == attempt).isEmpty()) {
            return;
        }
        log.warn("job {} (attempt {}) was dead-lettered on {}: {}", jobId, attempt, topic, reason);
        applier.expire(jobId, new JobError(CODE, topic + " could not process the job: " + reason, false));
    }

    private static String header(Message<?> message, String name) {
        Object value = message.getHeaders().get(name);
        return switch (value) {
            case null -> "unknown";
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }
}
