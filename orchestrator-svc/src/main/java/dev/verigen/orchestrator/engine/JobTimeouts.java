package dev.verigen.orchestrator.engine;

import dev.verigen.orchestrator.traces.StepRepository;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Closes steps whose job never answered, so no run waits forever on a lost message or a dead worker. */
@Component
public class JobTimeouts {

    private static final Logger log = LoggerFactory.getLogger(JobTimeouts.class);
    private static final int BATCH = 200;

    private final StepRepository steps;
    private final ResultApplier applier;
    private final Clock clock;

    public JobTimeouts(StepRepository steps, ResultApplier applier, Clock clock) {
        this.steps = steps;
        this.applier = applier;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${verigen.orchestrator.timeout-sweep-interval:5s}")
    public void sweep() {
        for (UUID jobId : steps.expiredJobs(clock.instant(), BATCH)) {
            try {
                applier.expire(jobId);
            } catch (RuntimeException e) {
                log.warn("could not expire job {}: {}", jobId, e.getMessage());
            }
        }
    }
}
