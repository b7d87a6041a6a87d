package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.delivery.MessageTooLarge;
import dev.verigen.orchestrator.outbox.UndeliverableJobs;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A job the broker refused fails its step at once with {@code message_too_large} (not retryable: the same bytes would
 * be refused again), and the strategy decides what that means for the run, rather than the run waiting for timeouts.
 */
@Component
class RefusedJobs implements UndeliverableJobs {

    private static final Logger log = LoggerFactory.getLogger(RefusedJobs.class);

    private final ResultApplier applier;

    RefusedJobs(ResultApplier applier) {
        this.applier = applier;
    }

    @Override
    public void refused(Refused row) {
        UUID jobId = jobId(row.payload());
        log.warn("the broker refused a {}-byte record on {} ({}); job {} fails", row.payload().length, row.topic(),
                row.reason(), jobId);
        if (jobId == null) {
            return; // a cancel: the jobs it names end by their deadlines
        }
        try {
            applier.expire(jobId, new JobError(MessageTooLarge.CODE, "the job is " + row.payload().length
                    + " bytes and the broker refused it: " + row.reason(), false));
        } catch (RuntimeException e) {
            // the step's deadline still ends it
            log.warn("could not fail refused job {}: {}", jobId, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static UUID jobId(byte[] payload) {
        try {
            Object meta = Json.read(payload, Map.class).get("meta");
            Object id = meta instanceof Map<?, ?> m ? m.get("jobId") : null;
            return id == null ? null : UUID.fromString(id.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
