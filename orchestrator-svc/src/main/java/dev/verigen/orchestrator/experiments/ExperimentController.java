package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.experiments.metrics.MetricsCsv;
import dev.verigen.orchestrator.experiments.metrics.MetricsTable;
import dev.verigen.orchestrator.experiments.metrics.Report;
import dev.verigen.support.problems.ApiProblem;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Experiments: a dataset x pipelines x budgets x seeds, run, graded and measured. */
@RestController
@RequestMapping("/v1/experiments")
public class ExperimentController {


    private final ExperimentRequestParser parser;
    private final ExperimentService service;
    private final ExperimentRepository experiments;
    private final ExperimentResults results;

    public ExperimentController(ExperimentRequestParser parser, ExperimentService service,
                                ExperimentRepository experiments, ExperimentResults results) {
        this.parser = parser;
        this.service = service;
        this.experiments = experiments;
        this.results = results;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ExperimentView> create(Caller caller, @RequestBody JsonNode body) {
        UUID id = service.create(caller.tenant(), parser.parse(caller.tenant(), body));
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/v1/experiments/" + id))
                .body(view(row(caller, id)));
    }

    @GetMapping
    public List<Map<String, Object>> list(Caller caller) {
        return experiments.list(caller.tenant(), 100).stream().map(r -> Map.<String, Object>of("id", r.id(), "name", r.name(),
                "status", r.status().name(), "dataset", r.dataset(), "items", r.items().size(),
                "arms", r.spec().arms().stream().map(ExperimentSpec.Arm::name).toList(),
                "createdAt", r.createdAt())).toList();
    }

    @GetMapping("/{id}")
    public ExperimentView get(Caller caller, @PathVariable UUID id) {
        return view(row(caller, id));
    }

    @PostMapping("/{id}/cancel")
    public Map<String, Object> cancel(Caller caller, @PathVariable UUID id) {
        return Map.of("id", id, "status", service.cancel(caller.tenant(), id).name());
    }

    @PostMapping("/{id}/resume")
    public Map<String, Object> resume(Caller caller, @PathVariable UUID id) {
        return Map.of("id", id, "status", service.resume(caller.tenant(), id).name());
    }

    /** Metrics of what has finished so far; {@code complete} says whether the experiment is over. */
    @GetMapping("/{id}/results")
    public Map<String, Object> results(Caller caller, @PathVariable UUID id) {
        var row = row(caller, id);
        return Map.of("id", id, "status", row.status().name(),
                "complete", row.status() != ExperimentRepository.Status.RUNNING, "report", results.report(row));
    }

    @GetMapping(path = "/{id}/results.csv", produces = "text/csv")
    public ResponseEntity<String> csv(Caller caller, @PathVariable UUID id) {
        Report report = results.report(row(caller, id));
        var out = new StringBuilder();
        MetricsCsv.write(report, out);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"experiment-" + id + ".csv\"")
                .body(out.toString());
    }

    @GetMapping(path = "/{id}/results.txt", produces = MediaType.TEXT_PLAIN_VALUE)
    public String table(Caller caller, @PathVariable UUID id) {
        var row = row(caller, id);
        return row.name() + " (" + row.status().name().toLowerCase(java.util.Locale.ROOT) + ")\n"
               + MetricsTable.render(results.report(row));
    }

    /** The runs serving the experiment's cells, to open any of them with /v1/runs/{id}/trace. */
    @GetMapping("/{id}/runs")
    public List<Map<String, Object>> runs(Caller caller, @PathVariable UUID id) {
        row(caller, id);
        return experiments.cells(id).stream().limit(10_000).map(c -> Map.<String, Object>of("arm", c.arm(),
                "seed", c.seed(), "item", c.itemId(), "tag", c.tag(), "run", c.runId(), "status", c.runStatus(),
                "graded", c.graded())).toList();
    }

    private ExperimentRepository.ExperimentRow row(Caller caller, UUID id) {
        return experiments.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("no experiment " + id));
    }

    private ExperimentView view(ExperimentRepository.ExperimentRow row) {
        var cells = experiments.cells(row.id());
        var spec = row.spec();
        List<ExperimentView.ArmProgress> arms = spec.arms().stream().map(arm -> {
            var mine = cells.stream().filter(c -> c.arm().equals(arm.name())).toList();
            Long planned = arm.computeOptimal() ? null : (long) row.items().size() * spec.seeds().size();
            return new ExperimentView.ArmProgress(arm.name(), arm.strategy(), arm.pool(), arm.budget().name(), planned,
                    mine.size(), count(mine, "RUNNING"), count(mine, "SUCCEEDED"), count(mine, "FAILED"),
                    count(mine, "CANCELLED"), mine.stream().filter(ExperimentRepository.Cell::graded).count());
        }).toList();
        String self = "/v1/experiments/" + row.id();
        return new ExperimentView(row.id(), row.name(), row.status().name(), row.dataset(), row.items().size(),
                spec.seeds(), spec.concurrency(), arms, row.error(), row.createdAt(), row.finishedAt(),
                new ExperimentView.Links(self, self + "/results", self + "/results.csv", self + "/results.txt",
                        self + "/runs"));
    }

    private static long count(List<ExperimentRepository.Cell> cells, String status) {
        return cells.stream().filter(c -> status.equals(c.runStatus())).count();
    }
}
