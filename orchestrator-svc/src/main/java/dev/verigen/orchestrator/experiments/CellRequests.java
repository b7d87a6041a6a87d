package dev.verigen.orchestrator.experiments;

import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunRequestParser;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a cell (arm x item x seed) into the run {@code POST /v1/runs} would create for the same body, so an
 * experiment's runs are ordinary runs: same validation, budgets, traces.
 */
@Component
public class CellRequests {

    public static final String COMPUTE_OPTIMAL = "compute_optimal";
    /** What a compute_optimal pipeline is checked as: its pool, reward model and verifier must be runnable. */
    private static final String STAND_IN = "best_of_n";

    private final RunRequestParser runs;

    public CellRequests(RunRequestParser runs) {
        this.runs = runs;
    }

    /** The run of a uniform arm's cell; the cell seed replaces any seed in the pipeline. */
    public CreateRun create(ExperimentSpec.Arm arm, SuiteItem item, long seed) {
        return runs.parse(body(arm, item, cellSeed(seed, item.id())), cellSeed(seed, item.id()));
    }

    /** @throws dev.verigen.support.problems.ApiProblem naming the fields (as a run's request would) */
    public void validate(ExperimentSpec.Arm arm, SuiteItem item) {
        runs.parse(body(arm, item, 0L), 0L);
    }

    /**
     * The seed of an item's runs under experiment seed {@code seed}: the same for every arm, so arms draw their
     * samples from common random numbers and differences between them are not sampling noise.
     */
    public static long cellSeed(long seed, String itemId) {
        UUID mixed = UUID.nameUUIDFromBytes((seed + "|" + itemId).getBytes(StandardCharsets.UTF_8));
        return mixed.getMostSignificantBits() ^ mixed.getLeastSignificantBits();
    }

    private static JsonNode body(ExperimentSpec.Arm arm, SuiteItem item, long seed) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode pipeline = (ObjectNode) arm.pipeline().deepCopy();
        if (arm.computeOptimal()) {
            pipeline.put("strategy", STAND_IN);
            pipeline.remove("options");
        }
        pipeline.put("seed", seed);
        ObjectNode body = nodes.objectNode();
        body.set("pipeline", pipeline);
        ObjectNode input = body.putObject("input");
        input.put("prompt", item.prompt());
        // The reference is the experiment's ground truth. A run given one would verify against it by default, which
        // turns every arm into oracle-verified selection; so a pipeline sees it only when it names a verifier itself,
        // and with verification "visible" only the item's visible part (none when the item has none).
        String reference = ExperimentSpec.Arm.VISIBLE.equals(arm.verification()) ? item.visible() : item.reference();
        if (reference != null && pipeline.hasNonNull("verifier")) {
            input.put("reference", reference);
        }
        var b = arm.budget();
        if (!arm.computeOptimal() && (b.maxTokens() != null || b.maxCalls() != null || b.maxFlops() != null)) {
            ObjectNode budget = body.putObject("budget");
            if (b.maxTokens() != null) {
                budget.put("maxTokens", b.maxTokens());
            }
            if (b.maxCalls() != null) {
                budget.put("maxCalls", b.maxCalls());
            }
            if (b.maxFlops() != null) {
                budget.put("maxFlops", b.maxFlops());
            }
        }
        return body;
    }
}
