package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.outbox.Outbox;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunStatus;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.tracing.RunTracing;
import dev.verigen.support.observability.Attributes;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.traces.StepRepository.StepRow;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finds jobs that never answered (a lost message, a dead worker, an orchestrator that crashed between dispatch and
 * result) and sends them again with the next attempt number, which fences off any late answer to the old one.
 * After the last attempt the step fails and the strategy decides what that means.
 */
@Component
public class JobTimeouts {

    private static final Logger log = LoggerFactory.getLogger(JobTimeouts.class);
    private static final int BATCH = 200;

    private final TransactionTemplate tx;
    private final RunRepository runs;
    private final StepRepository steps;
    private final ResultApplier applier;
    private final EventLog events;
    private final Outbox outbox;
    private final Clock clock;
    private final int maxAttempts;
    private final RunTracing tracing;

    public JobTimeouts(TransactionTemplate tx, RunRepository runs, StepRepository steps, ResultApplier applier,
                       EventLog events, Outbox outbox, Clock clock, OrchestratorProperties properties,
                       RunTracing tracing) {
        this.tracing = tracing;
        this.tx = tx;
        this.runs = runs;
        this.steps = steps;
        this.applier = applier;
        this.events = events;
        this.outbox = outbox;
        this.clock = clock;
        this.maxAttempts = properties.limits().maxJobAttempts();
    }

    /*
     * Not at once after a start: results that arrived while this instance (or every instance) was down are still
     * waiting in Kafka, and a job whose deadline passed meanwhile may well be answered there. Sweeping first would burn
     * an attempt of each (and fail the step on its last attempt) for nothing.
     */
    @Scheduled(fixedDelayString = "${verigen.orchestrator.timeout-sweep-interval:5s}",
            initialDelayString = "${verigen.orchestrator.timeout-sweep-initial-delay:20s}")
    public void sweep() {
        for (StepRepository.Expired expired : steps.expiredJobs(clock.instant(), BATCH)) {
            UUID jobId = expired.jobId();
            try {
                if (!resend(jobId, expired.attempt())) {
                    applier.expire(jobId, new JobError("job_timeout",
                            "no result before the job's deadline after " + maxAttempts + " attempts", true));
                }
            } catch (RuntimeException e) {
                log.warn("could not expire job {}: {}", jobId, e.getMessage());
            }
        }
    }

    /** Sends the job again whatever its deadline (a test's "this job was lost"). @return whether it was sent again */
    boolean resend(UUID jobId) {
        return resend(jobId, null);
    }

    /**
     * Sends the job again if its attempt is still {@code seenAttempt}. Two orchestrators' sweeps read the same expired
     * rows without a lock; the run's row lock serialises them, and whoever comes second finds the attempt already
     * moved on and does nothing, so an expired job is re-sent exactly once.
     *
     * @return whether the job was sent again, or another sweep already took care of it
     */
    boolean resend(UUID jobId, Integer seenAttempt) {
        Boolean sent = tx.execute(status -> {
            var unlocked = steps.findByJob(jobId);
            if (unlocked.isEmpty()) {
                return true; // nothing to give up on
            }
            var run = runs.lock(unlocked.get().runId());
            StepRow step = steps.findByJob(jobId).orElseThrow();
            if (seenAttempt != null && step.attempt() != seenAttempt) {
                return true; // another instance's sweep re-sent (or a result arrived for) this attempt already
            }
            if (run.isEmpty() || run.get().status() != RunStatus.RUNNING
                    || step.status() != RunState.Step.Status.PENDING || step.attempt() >= maxAttempts
                    || step.payload() == null) {
                return false;
            }
            Instant deadline = clock.instant().plusSeconds(run.get().spec().jobTimeoutSeconds());
            int attempt = steps.nextAttempt(step.id(), deadline);
            // the re-sent job stays in the run's trace, under the step that first sent it
            try (RunTracing.Scoped span = tracing.resume(steps.traceParent(step.id()).orElse(null),
                    "verigen.step redispatch")) {
                span.tag(Attributes.RUN, run.get().id().toString()).tag(Attributes.STEP, step.id().toString())
                        .tag(Attributes.JOB, jobId.toString()).tag(Attributes.ATTEMPT, attempt);
                outbox.add(step.topic(), run.get().id().toString(), withAttempt(step.payload(), attempt, deadline),
                        span.traceParent());
            }
            events.append(run.get().id(), "step.redispatched", Map.of("stepId", step.id(), "attempt", attempt));
            log.warn("job {} of run {} got no result in time; sent again as attempt {}", jobId, run.get().id(), attempt);
            return true;
        });
        return Boolean.TRUE.equals(sent);
    }

    /** The stored job with a new attempt number and deadline; everything else as first sent. */
    @SuppressWarnings("unchecked")
    static byte[] withAttempt(byte[] payload, int attempt, Instant deadline) {
        Map<String, Object> job = Json.read(payload, Map.class);
        Map<String, Object> meta = (Map<String, Object>) job.get("meta");
        meta.put("attempt", attempt);
        meta.put("deadline", deadline);
        return Json.write(job);
    }
}
