package dev.verigen.orchestrator.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes what the tenants' retention policies no longer keep ({@link RetentionProperties}), in batches: finished
 * runs and experiments past their tenant's age, and processed-job inbox rows past the inbox age. Running runs and
 * experiments are never touched, whatever their age.
 */
@Component
public class RetentionSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final RetentionRepository repository;
    private final RetentionProperties properties;
    private final Clock clock;

    public RetentionSweep(RetentionRepository repository, RetentionProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${verigen.orchestrator.retention.interval:1h}",
               initialDelayString = "${verigen.orchestrator.retention.interval:1h}")
    public void scheduled() {
        if (properties.enabled()) {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("retention sweep failed (it runs again in {}): {}", properties.interval(), e.toString());
            }
        }
    }

    /** One sweep over every tenant; what it deleted. */
    public Result sweep() {
        Instant now = clock.instant();
        long runs = 0;
        long experiments = 0;
        for (String tenant : repository.tenants()) {
            Optional<Duration> age = properties.ageFor(tenant);
            if (age.isEmpty()) {
                continue;
            }
            Instant cutoff = now.minus(age.get());
            for (int n; (n = repository.deleteExperiments(tenant, cutoff, Math.max(1, properties.batchSize() / 50))) > 0; ) {
                experiments += n;
            }
            for (int n; (n = repository.deleteRuns(tenant, cutoff, properties.batchSize())) > 0; ) {
                runs += n;
            }
        }
        long inbox = 0;
        Instant inboxCutoff = now.minus(properties.inboxAge());
        for (int n; (n = repository.expireInbox(inboxCutoff, properties.batchSize() * 10)) > 0; ) {
            inbox += n;
        }
        Result result = new Result(runs, experiments, inbox);
        if (runs + experiments + inbox > 0) {
            log.info("retention: deleted {} runs, {} experiments, {} inbox rows", runs, experiments, inbox);
        }
        return result;
    }

    public record Result(long runs, long experiments, long inboxRows) {
    }
}
