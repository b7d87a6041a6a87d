package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.runs.RunQueries;
import dev.verigen.orchestrator.runs.RunView;
import dev.verigen.orchestrator.traces.TraceRepository;
import dev.verigen.support.problems.ApiProblem;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Reads a run back with its candidates, for the answer of a completion. */
@Component
public class RunResults {

    private final RunQueries queries;
    private final TraceRepository traces;

    public RunResults(RunQueries queries, TraceRepository traces) {
        this.queries = queries;
        this.traces = traces;
    }

    public RunResult load(UUID runId, String tenant) {
        RunView run = queries.find(runId, tenant).orElseThrow(() -> ApiProblem.notFound("no run " + runId));
        String verifier = run.pipeline().verifier() == null ? null : run.pipeline().verifier().type();
        return new RunResult(run, traces.candidates(runId, verifier, run.pipeline().rewardModel()));
    }
}
