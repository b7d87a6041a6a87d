package dev.verigen.orchestrator.strategies.iad;

import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import java.util.Set;

/**
 * Iterative agent decoding's settings, normalised.
 *
 * @param maxRounds   refinement rounds after the first sampling (round 0)
 * @param refinements refined answers each round asks for, shared among the kept answers
 * @param keep        how many of the best answers so far each round refines
 * @param critique    whether a reviewer critiques each kept answer before it is refined
 * @param patience    rounds in a row without a better best answer before the loop gives up
 * @param stopOnPass  finish as soon as an answer passes the run's verifier
 */
public record IadOptions(int maxRounds, int refinements, int keep, boolean critique, int patience,
                         boolean stopOnPass) {

    static final Set<String> NAMES = Set.of("maxRounds", "refinements", "keep", "critique", "patience", "stopOnPass");

    public static IadOptions defaults(int n) {
        return new IadOptions(4, n, 2, false, 2, true);
    }

    /** The run's options; a spec stored without them (never validated by {@link #read}) gets the defaults. */
    public static IadOptions of(PipelineSpec spec) {
        return spec.options().isEmpty() ? defaults(spec.n()) : spec.options(IadOptions.class);
    }

    /**
     * Checks {@code pipeline.options}. The loop needs feedback to refine on, so a run with neither a reward model
     * nor a verifier it can use (one and a reference) is refused.
     */
    public static IadOptions read(StrategyOptions o) {
        o.onlyKnown(NAMES);
        var d = defaults(o.base().n());
        var options = new IadOptions(o.integer("maxRounds", 1, 32, d.maxRounds()),
                o.integer("refinements", 1, 256, d.refinements()), o.integer("keep", 1, 16, d.keep()),
                o.bool("critique", d.critique()), o.integer("patience", 1, 32, d.patience()),
                o.bool("stopOnPass", d.stopOnPass()));
        boolean verifies = o.base().verifier() != null && o.hasReference();
        if (!verifies && o.base().rewardModel() == null) {
            o.fields().reject("pipeline.rewardModel", "strategy 'iad' refines answers on feedback: set a reward model, "
                    + "or a verifier together with input.reference");
        }
        return options;
    }
}
