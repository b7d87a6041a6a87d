package dev.verigen.orchestrator.runs;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/runs:batch}: many runs in one request, each item a {@code POST /v1/runs} body with its own optional
 * {@code idempotencyKey}. Every item is validated before anything is written, and the runs start in one transaction:
 * all of them or none, so a retried batch (same keys) returns the runs the first one started.
 */
@RestController
public class RunBatchController {

    static final int MAX_ITEMS = 256;
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final RunRequestParser parser;
    private final RunService service;
    private final SecureRandom random = new SecureRandom();

    public RunBatchController(RunRequestParser parser, RunService service) {
        this.parser = parser;
        this.service = service;
    }

    @PostMapping(path = "/v1/runs:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody JsonNode body) {
        if (body == null || !body.isObject() || !body.path("runs").isArray()) {
            throw ApiProblem.invalid("runs", "the body must be an object whose runs is an array of run requests");
        }
        var unknown = body.propertyNames().stream().filter(n -> !n.equals("runs")).findFirst();
        if (unknown.isPresent()) {
            throw ApiProblem.invalid(unknown.get(), "unknown field");
        }
        JsonNode runs = body.path("runs");
        if (runs.isEmpty() || runs.size() > MAX_ITEMS) {
            throw ApiProblem.invalid("runs", "must hold 1 to " + MAX_ITEMS + " run requests");
        }
        List<FieldError> errors = new ArrayList<>();
        List<RunService.Item> items = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            String at = "runs[" + i + "]";
            JsonNode raw = runs.get(i);
            if (!raw.isObject()) {
                errors.add(new FieldError(at, "must be a run request object"));
                continue;
            }
            ObjectNode item = ((ObjectNode) raw).deepCopy();
            JsonNode keyNode = item.remove("idempotencyKey");
            String key = null;
            if (keyNode != null && !keyNode.isNull()) {
                key = keyNode.isString() ? keyNode.asString() : null;
                if (key == null || key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
                    errors.add(new FieldError(at + ".idempotencyKey",
                            "must be a string of 1 to " + MAX_IDEMPOTENCY_KEY + " characters"));
                    continue;
                }
            }
            try {
                // the fingerprint is taken before a random seed is filled in, so a retry matches its original
                String fingerprint = RunService.fingerprint(parser.parse(item, 0L));
                items.add(new RunService.Item(parser.parse(item, random.nextLong()), key, fingerprint));
            } catch (ApiProblem p) {
                p.errors().forEach(e -> errors.add(new FieldError(at + "." + e.field(), e.message())));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        List<RunService.Created> created = service.createAll(caller.tenant(), items);
        List<Map<String, Object>> out = new ArrayList<>(created.size());
        for (RunService.Created c : created) {
            Map<String, Object> one = new LinkedHashMap<>();
            String self = "/v1/runs/" + c.id();
            one.put("id", c.id());
            one.put("status", c.status().name());
            one.put("idempotentReplayed", !c.created());
            one.put("links", Map.of("self", self));
            out.add(one);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("runs", out));
    }
}
