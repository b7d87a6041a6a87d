package dev.verigen.orchestrator.experiments;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A validated experiment, stored as the experiment row's {@code spec}: everything the scheduler needs to plan its
 * runs again after a restart.
 *
 * @param dataset     where the items came from: {@code suite:<name>}, {@code dataset:<id>} or {@code inline}
 * @param suite       the name learned scaling curves are filed under (the suite's or the dataset's name)
 * @param concurrency how many of the experiment's runs may be in flight at once
 */
public record ExperimentSpec(String name, String dataset, String suite, List<Arm> arms, List<Long> seeds,
                             int concurrency) {

    public ExperimentSpec {
        arms = List.copyOf(arms);
        seeds = List.copyOf(seeds);
    }

    /**
     * One pipeline under one budget.
     *
     * @param pipeline the pipeline object as the client wrote it (a run's {@code pipeline}); each cell's run is parsed
     *                 from it with the item as input, so runs are exactly what {@code POST /v1/runs} would create
     * @param computeOptimal whether the arm is allocated over the whole batch ({@code strategy: compute_optimal})
     *                 rather than one run per item
     * @param verification what a pipeline that names a verifier verifies against: {@code oracle} (the item's whole
     *                 reference, what grading uses) or {@code visible} (only its visible part, e.g. a code item's
     *                 visible tests: a check a deployment could run without the answer)
     */
    public record Arm(String name, String pipelineName, Budget budget, JsonNode pipeline, String pool,
                      String strategy, boolean computeOptimal, String verification) {

        public static final String ORACLE = "oracle";
        public static final String VISIBLE = "visible";

        public Arm {
            verification = verification == null ? ORACLE : verification;
        }

        public Arm(String name, String pipelineName, Budget budget, JsonNode pipeline, String pool, String strategy,
                   boolean computeOptimal) {
            this(name, pipelineName, budget, pipeline, pool, strategy, computeOptimal, ORACLE);
        }
    }

    /** Per item (for compute_optimal: per item on average, so the batch may spend items x maxTokens). */
    public record Budget(String name, Long maxTokens, Long maxCalls, Double maxFlops) {

        public static final Budget UNLIMITED = new Budget("unlimited", null, null, null);
    }
}
