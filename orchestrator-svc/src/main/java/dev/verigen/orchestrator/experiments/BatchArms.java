package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.experiments.metrics.GradedRun;
import dev.verigen.orchestrator.runs.CreateRun;
import java.util.List;

/**
 * Arms allocated over the whole batch of items ({@code compute_optimal}): what to run next is decided from what the
 * arm's finished runs showed, not fixed in advance.
 */
public interface BatchArms {

    /** A run to start for a cell, and what the arm needs to remember of it (stored with the cell). */
    record Planned(ExperimentRepository.CellKey key, CreateRun request, Object purchase) {
    }

    /**
     * Problems with a batch arm that a run's parser cannot see (its allocator's settings, its batch budget), named
     * in the experiment's terms ({@code pipelines[p].pipeline.options...}, {@code budgets[b].maxTokens}).
     */
    List<dev.verigen.support.problems.FieldError> check(ExperimentSpec.Arm arm, int pipeline, int budget,
                                                        List<dev.verigen.contracts.suites.SuiteItem> items);

    /** @param done true when the arm will buy nothing more and none of its runs is in flight */
    record Step(List<Planned> runs, boolean done) {
    }

    /** @param free how many runs may start now (the experiment's concurrency left) */
    Step next(ExperimentRepository.ExperimentRow experiment, ExperimentSpec.Arm arm, long seed,
              List<ExperimentRepository.Cell> cells, int free);

    /** The per-item results of a batch arm (one run per item and seed), built from its graded cells. */
    List<GradedRun> results(ExperimentRepository.ExperimentRow experiment, ExperimentSpec.Arm arm,
                            List<ExperimentRepository.GradedCell> armCells);

    /** After an experiment finished: fit what it showed into the stored scaling curves. */
    void learn(ExperimentRepository.ExperimentRow experiment, List<ExperimentRepository.GradedCell> graded);
}
