package dev.verigen.orchestrator.traces;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.support.problems.ApiProblem;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class TraceController {

    private final TraceQueries queries;

    public TraceController(TraceQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/v1/runs/{id}/trace")
    public TraceView trace(Caller caller, @PathVariable UUID id) {
        return queries.find(id, caller.tenant()).orElseThrow(() -> ApiProblem.notFound("no run " + id));
    }
}
