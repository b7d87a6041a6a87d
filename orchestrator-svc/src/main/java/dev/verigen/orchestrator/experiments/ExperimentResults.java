package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.experiments.metrics.ExperimentMetrics;
import dev.verigen.orchestrator.experiments.metrics.GradedRun;
import dev.verigen.orchestrator.experiments.metrics.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * An experiment's metrics from its graded cells: final while it runs only for what has finished, so progress can be
 * watched. A batch arm contributes one result per item and seed, combining all the runs it bought for the item.
 */
@Component
public class ExperimentResults {

    /** Subsampling for majority@k and best-of-N@k is seeded, so the same results always give the same report. */
    private static final long METRICS_SEED = 20_261_124L;

    private final ExperimentRepository experiments;
    private final BatchArms batchArms;

    public ExperimentResults(ExperimentRepository experiments, BatchArms batchArms) {
        this.experiments = experiments;
        this.batchArms = batchArms;
    }

    public Report report(ExperimentRepository.ExperimentRow row) {
        return ExperimentMetrics.compute(runs(row), METRICS_SEED);
    }

    /** Every arm's graded runs in arm order: what metrics and exports are computed from. */
    public List<GradedRun> runs(ExperimentRepository.ExperimentRow row) {
        Map<String, List<ExperimentRepository.GradedCell>> byArm = new LinkedHashMap<>();
        row.spec().arms().forEach(a -> byArm.put(a.name(), new ArrayList<>()));
        for (var cell : experiments.graded(row.id())) {
            byArm.computeIfAbsent(cell.key().arm(), a -> new ArrayList<>()).add(cell);
        }
        List<GradedRun> runs = new ArrayList<>();
        for (ExperimentSpec.Arm arm : row.spec().arms()) {
            var cells = byArm.get(arm.name());
            if (arm.computeOptimal()) {
                runs.addAll(batchArms.results(row, arm, cells));
            } else {
                cells.forEach(c -> runs.add(c.run()));
            }
        }
        return runs;
    }
}
