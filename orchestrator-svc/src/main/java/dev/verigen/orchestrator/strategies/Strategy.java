package dev.verigen.orchestrator.strategies;

import java.util.List;

/** A pure decision function: {@code decide(state, event) -> actions}. */
public interface Strategy {

    /** The name used in pipeline specs, e.g. {@code best_of_n}. */
    String name();

    List<Action> decide(RunState state, RunEvent event);
}
