package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Orchestrator → every gpu-worker (topic {@code verigen.gen.cancels}, read by each worker instance): stop these
 * generation jobs. A worker running one stops decoding and answers with what it generated so far (its usage is the
 * tokens really generated) and the error {@code cancelled}; one that has not started it yet answers at once, having
 * spent nothing. Best effort: a job that finished first, or a worker that never sees the message, answers as usual —
 * the orchestrator settles whatever is reported, so nothing depends on the cancel arriving.
 *
 * @param jobIds the jobs' {@link JobMeta#jobId()}s (every attempt of a job stops)
 * @param reason why, for logs
 */
public record CancelJobs(UUID runId, List<UUID> jobIds, String reason) {

    public CancelJobs {
        Objects.requireNonNull(runId, "runId");
        jobIds = List.copyOf(Objects.requireNonNull(jobIds, "jobIds"));
        reason = reason == null ? "" : reason;
    }
}
