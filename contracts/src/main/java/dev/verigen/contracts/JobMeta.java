package dev.verigen.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope every job and result carries.
 *
 * @param jobId       idempotency key of the job; results are applied at most once per job id
 * @param runId       the run the job belongs to
 * @param stepId      the pipeline step that dispatched the job
 * @param attempt     dispatch attempt, a fencing token: results of an older attempt are ignored
 * @param tenant      owner of the run
 * @param reservation the budget reserved for this job, which its result settles
 * @param deadline    after this instant the job is worthless and may be dropped
 * @param replyTo     the topic the job's result goes to; null = the default result topic of the job's kind
 *                    (e.g. {@code verigen.gen.results}). Only {@code verigen.} topics
 *                    ({@link Topics#isValidReplyTopic(String)}); used by reward-model-svc to get the results of the
 *                    generation jobs it sends (LLM-as-judge, likelihood) on a topic of its own
 */
public record JobMeta(UUID jobId, UUID runId, UUID stepId, int attempt, String tenant,
                      Reservation reservation, Instant deadline, String replyTo) {

    /** A job answered on the default result topic of its kind. */
    public JobMeta(UUID jobId, UUID runId, UUID stepId, int attempt, String tenant,
                   Reservation reservation, Instant deadline) {
        this(jobId, runId, stepId, attempt, tenant, reservation, deadline, null);
    }

    public JobMeta {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        JobError.requireText(tenant, "tenant");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1");
        }
        reservation = reservation == null ? Reservation.NONE : reservation;
        replyTo = replyTo == null || replyTo.isBlank() ? null : replyTo;
        if (replyTo != null && !Topics.isValidReplyTopic(replyTo)) {
            throw new IllegalArgumentException("replyTo must be a verigen. topic: " + replyTo);
        }
    }

    /** The topic the result of this job goes to: {@link #replyTo()} when set, else {@code defaultTopic}. */
    public String resultTopic(String defaultTopic) {
        return replyTo == null ? defaultTopic : replyTo;
    }

    /** This envelope with another reply topic (null: the default). */
    public JobMeta withReplyTo(String topic) {
        return new JobMeta(jobId, runId, stepId, attempt, tenant, reservation, deadline, topic);
    }

    /** Budget held back for a job until its result reports what was really used. */
    public record Reservation(long tokens, long calls) {
        public static final Reservation NONE = new Reservation(0, 0);

        public Reservation {
            if (tokens < 0 || calls < 0) {
                throw new IllegalArgumentException("reservation cannot be negative");
            }
        }
    }
}
