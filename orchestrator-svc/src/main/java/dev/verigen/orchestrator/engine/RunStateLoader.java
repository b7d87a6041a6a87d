package dev.verigen.orchestrator.engine;

import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
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
    private final ComputeEstimator compute;

    public RunStateLoader(BudgetRepository budgets, StepRepository steps, TraceRepository traces,
                          ComputeEstimator compute) {
        this.budgets = budgets;
        this.steps = steps;
        this.traces = traces;
        this.compute = compute;
    }

    public RunState load(RunRow run) {
        String verifier = run.spec().verifier() == null ? null : run.spec().verifier().type();
        var budget = budgets.forRun(run.id()).withCompute(compute.forRun(run.spec().model()));
        return new RunState(run.id(), run.spec(), run.input(), budget, steps.forRun(run.id()),
                traces.candidates(run.id(), verifier, run.spec().rewardModel()), run.memo());
    }
}
