package dev.verigen.orchestrator.engine;

import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.traces.TraceRepository;
import org.springframework.stereotype.Component;

/** Rebuilds a run's state from PostgreSQL, so a restarted orchestrator decides exactly as the crashed one would. */
@Component
public class RunStateLoader {

    private final BudgetRepository budgets;
    private final StepRepository steps;
    private final TraceRepository traces;

    public RunStateLoader(BudgetRepository budgets, StepRepository steps, TraceRepository traces) {
        this.budgets = budgets;
        this.steps = steps;
        this.traces = traces;
    }

    public RunState load(RunRow run) {
        String verifier = run.spec().verifier() == null ? null : run.spec().verifier().type();
        return new RunState(run.id(), run.spec(), run.input(), budgets.forRun(run.id()), steps.forRun(run.id()),
                traces.candidates(run.id(), verifier, run.spec().rewardModel()), run.memo());
    }
}
