package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.CancelJobs;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Topics;
import dev.verigen.orchestrator.outbox.Outbox;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.traces.StepRepository.Cancelled;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Tells the workers to stop generation jobs whose steps were cancelled: one {@link CancelJobs} on
 * {@code verigen.gen.cancels}, written to the outbox in the transaction that cancelled the steps, so the cancel leaves
 * if and only if the cancellation committed. The workers stop decoding and report what they generated; the result
 * applier books exactly that against the budget. Verification and scoring jobs are not aborted: they are short, and
 * their services cannot stop mid-way.
 */
@Component
public class Aborts {

    private final Outbox outbox;

    public Aborts(Outbox outbox) {
        this.outbox = outbox;
    }

    public void send(UUID runId, List<Cancelled> cancelled, String reason) {
        List<UUID> jobs = cancelled.stream().filter(c -> c.kind() == StepKind.GENERATION).map(Cancelled::jobId)
                .toList();
        if (!jobs.isEmpty()) {
            outbox.add(Topics.GENERATION_CANCELS, runId.toString(), Json.write(new CancelJobs(runId, jobs, reason)));
        }
    }
}
