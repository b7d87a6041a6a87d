package dev.verigen.orchestrator.datasets;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.Suite;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.experiments.ExperimentProperties;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.orchestrator.web.NulCharacters;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Uploaded datasets (JSONL of {@code {id, prompt, reference, task}}) that experiments reference by id, and the
 * built-in suites.
 */
@RestController
public class DatasetController {

    private static final String NDJSON = "application/x-ndjson";
    private static final Set<String> FIELDS = Set.of("name", "items", "jsonl");

    private final DatasetRepository datasets;
    private final ItemsReader reader;

    public DatasetController(DatasetRepository datasets, ExperimentProperties experiments,
                             OrchestratorProperties properties) {
        this.datasets = datasets;
        this.reader = new ItemsReader(experiments.maxItems(), properties.limits().maxPromptChars());
    }

    /** JSONL as the body ({@code Content-Type: application/x-ndjson}); the name comes from {@code ?name=}. */
    @PostMapping(path = "/v1/datasets", consumes = NDJSON)
    public ResponseEntity<Map<String, Object>> uploadJsonl(Caller caller, @RequestBody byte[] body,
                                                           @RequestParam(name = "name", required = false) String name) {
        JsonFields f = new JsonFields();
        String text = utf8(body);
        String label = name == null || name.isBlank() ? "uploaded" : name;
        if (label.length() > 128) {
            f.reject("name", "must be at most 128 characters");
        } else if (label.indexOf('\0') >= 0) {
            f.reject("name", NulCharacters.MESSAGE);
        }
        List<SuiteItem> items = reader.fromJsonl(text, "body", f);
        return created(caller, label, items, f);
    }

    @PostMapping(path = "/v1/datasets", consumes = "application/json")
    public ResponseEntity<Map<String, Object>> upload(Caller caller, @RequestBody JsonNode body) {
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object {name, items} or {name, jsonl}");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", FIELDS);
        String name = f.text(body, "name", "name", false, 128);
        List<SuiteItem> items;
        if (body.has("items") == body.has("jsonl")) {
            f.reject("items", "give exactly one of items (an array) or jsonl (a string)");
            items = List.of();
        } else if (body.has("items")) {
            items = reader.fromArray(body.get("items"), "items", f);
        } else {
            String jsonl = f.text(body, "jsonl", "jsonl", true, Integer.MAX_VALUE);
            items = jsonl == null ? List.of() : reader.fromJsonl(jsonl, "jsonl", f);
        }
        return created(caller, name == null ? "uploaded" : name, items, f);
    }

    @GetMapping("/v1/datasets")
    public List<DatasetRepository.DatasetRow> list(Caller caller) {
        return datasets.list(caller.tenant(), 100);
    }

    @GetMapping("/v1/datasets/{id}")
    public Map<String, Object> get(Caller caller, @PathVariable UUID id) {
        var row = datasets.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("no dataset " + id));
        return Map.of("id", row.id(), "name", row.name(), "createdAt", row.createdAt(), "items", datasets.items(id));
    }

    /** The suites that ship with Verigen, with their sizes and how they are graded (not their items). */
    @GetMapping("/v1/suites")
    public List<Map<String, Object>> suites(Caller caller) {
        return BuiltInSuites.names().stream().map(n -> BuiltInSuites.byName(n).orElseThrow())
                .map(DatasetController::describe).toList();
    }

    @GetMapping("/v1/suites/{name}")
    public Map<String, Object> suite(Caller caller, @PathVariable String name) {
        Suite suite = BuiltInSuites.byName(name).orElseThrow(() -> ApiProblem.notFound("no suite '" + name
                + "'; built in: " + BuiltInSuites.names()));
        var view = new java.util.LinkedHashMap<>(describe(suite));
        view.put("items", suite.items());
        return view;
    }

    private static Map<String, Object> describe(Suite s) {
        return Map.of("name", s.name(), "description", s.description(), "pool", s.pool(),
                "task", s.kind().wireName(), "grader", s.kind().verifier(), "items", s.items().size());
    }

    private ResponseEntity<Map<String, Object>> created(Caller caller, String name, List<SuiteItem> items, JsonFields f) {
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors().size() > 50 ? f.errors().subList(0, 50) : f.errors());
        }
        var row = datasets.create(caller.tenant(), name, items);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/v1/datasets/" + row.id()))
                .body(Map.of("id", row.id(), "name", row.name(), "items", row.items()));
    }

    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request body",
                    "the body is not valid UTF-8", List.of(new dev.verigen.support.problems.FieldError("$",
                    "not valid UTF-8")));
        }
    }
}
