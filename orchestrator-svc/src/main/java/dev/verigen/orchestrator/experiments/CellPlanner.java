package dev.verigen.orchestrator.experiments;

import dev.verigen.contracts.suites.SuiteItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which cells of the uniform arms (one run per item and seed) to start next. Cells go seed by seed, item by item,
 * every arm of an item together: a half-finished experiment then compares arms on the same items, and its partial
 * results already mean something.
 */
public final class CellPlanner {

    /** The tag of a uniform arm's only cell per item and seed. */
    public static final String RUN = "run";

    private CellPlanner() {
    }

    public static List<ExperimentRepository.CellKey> next(ExperimentSpec spec, List<SuiteItem> items,
                                                          Set<ExperimentRepository.CellKey> existing, int free) {
        List<ExperimentRepository.CellKey> next = new ArrayList<>();
        if (free <= 0) {
            return next;
        }
        for (long seed : spec.seeds()) {
            for (SuiteItem item : items) {
                for (ExperimentSpec.Arm arm : spec.arms()) {
                    if (arm.computeOptimal()) {
                        continue;
                    }
                    var key = new ExperimentRepository.CellKey(arm.name(), seed, item.id(), RUN);
                    if (!existing.contains(key)) {
                        next.add(key);
                        if (next.size() == free) {
                            return next;
                        }
                    }
                }
            }
        }
        return next;
    }

    /** How many cells the uniform arms plan in all. */
    public static long uniformCells(ExperimentSpec spec, List<SuiteItem> items) {
        long arms = spec.arms().stream().filter(a -> !a.computeOptimal()).count();
        return arms * items.size() * spec.seeds().size();
    }
}
