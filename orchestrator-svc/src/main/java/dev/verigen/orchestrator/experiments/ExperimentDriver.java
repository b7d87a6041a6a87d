package dev.verigen.orchestrator.experiments;

import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.experiments.grading.RunGrader;
import dev.verigen.orchestrator.experiments.grading.VerifierServiceGrader;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunService;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Advances one running experiment by a step: grades the runs that finished, starts runs for free slots, and closes
 * the experiment when every cell is finished and graded. Everything it knows is in PostgreSQL, so any orchestrator
 * instance can take over after a crash and a restart resumes where the last one stopped.
 */
@Component
public class ExperimentDriver {

    private static final Logger log = LoggerFactory.getLogger(ExperimentDriver.class);

    private final TransactionTemplate tx;
    private final ExperimentRepository experiments;
    private final RunGrader grader;
    private final RunService runs;
    private final CellRequests requests;
    private final BatchArms batchArms;

    public ExperimentDriver(TransactionTemplate tx, ExperimentRepository experiments, RunGrader grader,
                            RunService runs, CellRequests requests, BatchArms batchArms) {
        this.tx = tx;
        this.experiments = experiments;
        this.grader = grader;
        this.runs = runs;
        this.requests = requests;
        this.batchArms = batchArms;
    }

    public void advance(UUID id) {
        gradeFinished(id);
        try {
            tx.executeWithoutResult(status -> experiments.lockRunning(id).ifPresent(this::plan));
        } catch (RuntimeException e) {
            // a cell that cannot be started now would not start on the next tick either: stop, keep what ran
            log.warn("experiment {} failed while planning: {}", id, e.toString());
            fail(id, e);
        }
    }

    /** Outside the planning lock: grading may call verifier-svc, and grading a cell twice gives the same answer. */
    private void gradeFinished(UUID id) {
        var row = tx.execute(s -> experiments.lockRunning(id)).orElse(null);
        if (row == null) {
            return;
        }
        Map<String, SuiteItem> items = row.row().items().stream()
                .collect(Collectors.toMap(SuiteItem::id, Function.identity(), (a, b) -> a));
        for (var cell : experiments.cells(id)) {
            if (cell.graded() || "RUNNING".equals(cell.runStatus())) {
                continue;
            }
            try {
                var graded = grader.grade(cell.runId(), cell.arm(), cell.seed(), items.get(cell.itemId()));
                experiments.saveGraded(id, cell.key(), graded);
            } catch (VerifierServiceGrader.GradingUnavailable e) {
                log.warn("experiment {}: grading waits for verifier-svc ({})", id, e.getMessage());
                return;
            }
        }
    }

    private void plan(ExperimentRepository.LockedExperiment locked) {
        var row = locked.row();
        ExperimentSpec spec = row.spec();
        List<ExperimentRepository.Cell> cells = experiments.cells(row.id());
        long running = cells.stream().filter(c -> "RUNNING".equals(c.runStatus())).count();
        int free = (int) Math.max(0, spec.concurrency() - running);
        Set<ExperimentRepository.CellKey> existing = new HashSet<>();
        cells.forEach(c -> existing.add(c.key()));
        Map<String, SuiteItem> items = row.items().stream()
                .collect(Collectors.toMap(SuiteItem::id, Function.identity(), (a, b) -> a));
        Map<String, ExperimentSpec.Arm> arms = spec.arms().stream()
                .collect(Collectors.toMap(ExperimentSpec.Arm::name, Function.identity()));

        List<ExperimentRepository.CellKey> uniform = CellPlanner.next(spec, row.items(), existing, free);
        for (var key : uniform) {
            start(locked.tenant(), row.id(), key,
                    requests.create(arms.get(key.arm()), items.get(key.itemId()), key.seed()), null);
        }
        free -= uniform.size();
        boolean batchDone = true;
        for (ExperimentSpec.Arm arm : spec.arms()) {
            if (!arm.computeOptimal()) {
                continue;
            }
            for (long seed : spec.seeds()) {
                var step = batchArms.next(row, arm, seed, cells, Math.max(0, free));
                for (var planned : step.runs()) {
                    start(locked.tenant(), row.id(), planned.key(), planned.request(), planned.purchase());
                }
                free -= step.runs().size();
                batchDone &= step.done();
            }
        }
        boolean uniformDone = cells.stream().filter(c -> CellPlanner.RUN.equals(c.tag())).count()
                              == CellPlanner.uniformCells(spec, row.items());
        boolean allSettled = cells.stream().allMatch(ExperimentRepository.Cell::graded);
        if (uniform.isEmpty() && uniformDone && batchDone && allSettled) {
            experiments.setStatus(row.id(), ExperimentRepository.Status.RUNNING, ExperimentRepository.Status.SUCCEEDED,
                    null);
            batchArms.learn(row, experiments.graded(row.id()));
        }
    }

    private void start(String tenant, UUID experiment, ExperimentRepository.CellKey key, CreateRun request,
                       Object purchase) {
        var created = runs.create(tenant, request, null, RunService.fingerprint(request));
        experiments.insertCell(experiment, key, created.id(), purchase);
    }

    private void fail(UUID id, RuntimeException e) {
        tx.executeWithoutResult(s -> experiments.setStatus(id, ExperimentRepository.Status.RUNNING,
                ExperimentRepository.Status.FAILED, "could not start a run: " + e.getMessage()));
    }
}
