package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.support.problems.ApiProblem;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Starts, cancels and resumes experiments; the scheduler does the running. */
@Service
public class ExperimentService {

    private final TransactionTemplate tx;
    private final ExperimentRepository experiments;
    private final RunService runs;
    private final ExperimentScheduler scheduler;

    public ExperimentService(TransactionTemplate tx, ExperimentRepository experiments, RunService runs,
                             ExperimentScheduler scheduler) {
        this.tx = tx;
        this.experiments = experiments;
        this.runs = runs;
        this.scheduler = scheduler;
    }

    public UUID create(String tenant, ExperimentRequestParser.Parsed parsed) {
        UUID id = UUID.randomUUID();
        tx.executeWithoutResult(s -> experiments.insert(id, tenant, parsed.spec(), parsed.items()));
        scheduler.wake();
        return id;
    }

    /**
     * Stops planning and cancels the runs in flight (they still settle what they spent). Cells already finished
     * keep their results; {@link #resume} runs the cancelled ones again.
     */
    public ExperimentRepository.Status cancel(String tenant, UUID id) {
        var row = experiments.find(tenant, id).orElseThrow(() -> ApiProblem.notFound("no experiment " + id));
        if (row.status() != ExperimentRepository.Status.RUNNING) {
            return row.status();
        }
        // the status flips first (under the planner's lock), so no tick starts a run after the cancels below
        Boolean flipped = tx.execute(s -> experiments.lockForChange(id)
                && experiments.setStatus(id, ExperimentRepository.Status.RUNNING,
                ExperimentRepository.Status.CANCELLED, "cancelled by the client"));
        if (!Boolean.TRUE.equals(flipped)) {
            return experiments.find(tenant, id).orElseThrow().status();
        }
        List<UUID> inFlight = experiments.runningRuns(id);
        for (UUID run : inFlight) {
            runs.cancel(tenant, run, "experiment " + id + " cancelled");
        }
        return ExperimentRepository.Status.CANCELLED;
    }

    /** Continues a cancelled or failed experiment: cells whose runs were cancelled are planned again. */
    public ExperimentRepository.Status resume(String tenant, UUID id) {
        var row = experiments.find(tenant, id).orElseThrow(() -> ApiProblem.notFound("no experiment " + id));
        if (row.status() == ExperimentRepository.Status.RUNNING) {
            return row.status();
        }
        if (row.status() == ExperimentRepository.Status.SUCCEEDED) {
            throw new ApiProblem(HttpStatus.CONFLICT, "experiment-finished", "Experiment already finished",
                    "experiment " + id + " succeeded; start a new one to run it again", List.of());
        }
        tx.executeWithoutResult(s -> {
            experiments.lockForChange(id);
            if (experiments.setStatus(id, row.status(), ExperimentRepository.Status.RUNNING, null)) {
                experiments.forgetCancelledCells(id);
            }
        });
        scheduler.wake();
        return ExperimentRepository.Status.RUNNING;
    }
}
