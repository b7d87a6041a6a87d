package dev.verigen.orchestrator.runs;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/v1/runs")
public class RunController {

    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final RunRequestParser parser;
    private final RunService service;
    private final RunQueries queries;
    private final SecureRandom random = new SecureRandom();

    public RunController(RunRequestParser parser, RunService service, RunQueries queries) {
        this.parser = parser;
        this.service = service;
        this.queries = queries;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody JsonNode body,
                                                      @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ApiProblem.invalid(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters")));
        }
        // The fingerprint is taken before a random seed is filled in, so a retry matches its original.
        String fingerprint = RunService.fingerprint(parser.parse(body, 0L));
        CreateRun request = parser.parse(body, random.nextLong());
        RunService.Created created = service.create(caller.tenant(), request, key, fingerprint);
        URI location = URI.create("/v1/runs/" + created.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location)
                .header("Idempotent-Replayed", Boolean.toString(!created.created()))
                .body(Map.of("id", created.id(), "status", created.status().name(), "links", Map.of("self", location.toString())));
    }

    /** Stops a running run; a finished run is left as it is (the answer says which status it has). */
    @PostMapping("/{id}/cancel")
    public Map<String, Object> cancel(Caller caller, @PathVariable UUID id) {
        var status = service.cancel(caller.tenant(), id, "cancelled by the client")
                .orElseThrow(() -> ApiProblem.notFound("no run " + id));
        return Map.of("id", id, "status", status.name());
    }

    @GetMapping("/{id}")
    public RunView get(Caller caller, @PathVariable UUID id) {
        return queries.find(id, caller.tenant()).orElseThrow(() -> ApiProblem.notFound("no run " + id));
    }
}
