package dev.verigen.orchestrator.strategies;

import org.springframework.stereotype.Component;

/**
 * Diverse verifier tree search (search-and-learn's DVTS): {@link BeamSearch} with {@code dvts} fixed on, so the
 * {@code beamWidth} beams are independent subtrees that each keep only their own best child. Also reachable as
 * {@code beam_search} with {@code "dvts": true}.
 */
@Component
public class Dvts extends BeamSearch {

    public static final String NAME = "dvts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        return readOptions(o, true);
    }
}
