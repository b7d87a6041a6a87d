package dev.verigen.orchestrator.experiments;

import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.datasets.DatasetRepository;
import dev.verigen.orchestrator.datasets.ItemsReader;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code POST /v1/experiments}. Every arm is checked against every item exactly as its runs will be created,
 * so an experiment that is accepted never fails later for a request it could have refused now.
 */
@Component
public class ExperimentRequestParser {

    static final int MAX_PIPELINES = 16;
    static final int MAX_BUDGETS = 8;
    static final int MAX_SEEDS = 16;
    private static final Set<String> TOP = Set.of("name", "dataset", "pipelines", "budgets", "seeds", "concurrency");
    private static final Set<String> DATASET = Set.of("suite", "id", "items", "jsonl", "limit", "name");
    private static final Set<String> PIPELINE_ENTRY = Set.of("name", "pipeline", "verification");
    private static final Set<String> BUDGET = Set.of("name", "maxTokens", "maxCalls", "maxFlops");

    private final ExperimentProperties properties;
    private final DatasetRepository datasets;
    private final CellRequests cells;
    private final BatchArms batchArms;
    private final ItemsReader reader;

    public ExperimentRequestParser(ExperimentProperties properties, OrchestratorProperties orchestrator,
                                   DatasetRepository datasets, CellRequests cells, BatchArms batchArms) {
        this.properties = properties;
        this.datasets = datasets;
        this.cells = cells;
        this.batchArms = batchArms;
        this.reader = new ItemsReader(properties.maxItems(), orchestrator.limits().maxPromptChars());
    }

    /** A parsed request: the spec and the items it froze. */
    public record Parsed(ExperimentSpec spec, List<SuiteItem> items) {
    }

    public Parsed parse(String tenant, JsonNode body) {
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", TOP);
        String name = f.text(body, "name", "name", false, 128);
        Dataset dataset = dataset(tenant, f.object(body, "dataset", "dataset", true), f);
        List<Entry> pipelines = pipelines(body.get("pipelines"), f);
        List<ExperimentSpec.Budget> budgets = budgets(body.get("budgets"), f);
        List<Long> seeds = seeds(body.get("seeds"), f);
        Long concurrency = f.integer(body, "concurrency", "concurrency", 1, properties.maxConcurrency());
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        List<ExperimentSpec.Arm> arms = new ArrayList<>();
        for (int p = 0; p < pipelines.size(); p++) {
            for (int b = 0; b < budgets.size(); b++) {
                Entry entry = pipelines.get(p);
                ExperimentSpec.Budget budget = budgets.get(b);
                String armName = budgets.size() == 1 ? entry.name() : entry.name() + "@" + budget.name();
                var arm = new ExperimentSpec.Arm(armName, entry.name(), budget, entry.pipeline(),
                        entry.pipeline().path("model").asString(""), entry.pipeline().path("strategy").asString(""),
                        CellRequests.COMPUTE_OPTIMAL.equals(entry.pipeline().path("strategy").asString("")),
                        entry.verification());
                checkAgainstItems(arm, p, b, dataset.items(), f);
                if (arm.computeOptimal()) {
                    batchArms.check(arm, p, b, dataset.items()).forEach(e -> f.reject(e.field(), e.message()));
                }
                arms.add(arm);
            }
        }
        long planned = (long) dataset.items().size() * seeds.size() * arms.size();
        if (planned > properties.maxRuns()) {
            f.reject("pipelines", "the experiment would plan " + planned + " runs (items x pipelines x budgets x "
                    + "seeds); at most " + properties.maxRuns() + " are allowed");
        }
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors().size() > 50 ? f.errors().subList(0, 50) : f.errors());
        }
        var spec = new ExperimentSpec(name == null ? dataset.label() : name, dataset.ref(), dataset.label(), arms,
                seeds, concurrency == null ? properties.defaultConcurrency() : concurrency.intValue());
        return new Parsed(spec, dataset.items());
    }

    private record Dataset(String ref, String label, List<SuiteItem> items) {
    }

    private record Entry(String name, JsonNode pipeline, String verification) {
    }

    private Dataset dataset(String tenant, JsonNode node, JsonFields f) {
        if (node == null) {
            return new Dataset("", "", List.of());
        }
        f.onlyKnown(node, "dataset", DATASET);
        Long limit = f.integer(node, "limit", "dataset.limit", 1, properties.maxItems());
        String label = f.text(node, "name", "dataset.name", false, 128);
        int sources = (node.has("suite") ? 1 : 0) + (node.has("id") ? 1 : 0) + (node.has("items") ? 1 : 0)
                      + (node.has("jsonl") ? 1 : 0);
        if (sources != 1) {
            f.reject("dataset", "give exactly one of suite (a built-in suite name), id (an uploaded dataset), "
                    + "items (an array) or jsonl (a string)");
            return new Dataset("", "", List.of());
        }
        Dataset found;
        if (node.has("suite")) {
            String suite = f.text(node, "suite", "dataset.suite", true, 64);
            var builtIn = suite == null ? null : BuiltInSuites.byName(suite).orElse(null);
            if (suite != null && builtIn == null) {
                f.reject("dataset.suite", "unknown suite '" + suite + "'; built in: " + BuiltInSuites.names());
            }
            found = builtIn == null ? new Dataset("", "", List.of())
                    : new Dataset("suite:" + suite, suite, builtIn.items());
        } else if (node.has("id")) {
            String id = f.text(node, "id", "dataset.id", true, 64);
            UUID uuid = uuid(id);
            var row = uuid == null ? null : datasets.find(tenant, uuid).orElse(null);
            if (id != null && row == null) {
                f.reject("dataset.id", "no dataset '" + id + "'");
            }
            found = row == null ? new Dataset("", "", List.of())
                    : new Dataset("dataset:" + row.id(), row.name(), datasets.items(row.id()));
        } else if (node.has("items")) {
            found = new Dataset("inline", "inline", reader.fromArray(node.get("items"), "dataset.items", f));
        } else {
            String jsonl = f.text(node, "jsonl", "dataset.jsonl", true, Integer.MAX_VALUE);
            found = new Dataset("inline", "inline", jsonl == null ? List.of()
                    : reader.fromJsonl(jsonl, "dataset.jsonl", f));
        }
        List<SuiteItem> items = limit == null || limit >= found.items().size() ? found.items()
                : found.items().subList(0, limit.intValue());
        return new Dataset(found.ref(), label == null ? found.label() : label, items);
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<Entry> pipelines(JsonNode node, JsonFields f) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_PIPELINES) {
            f.reject("pipelines", "must be an array of 1 to " + MAX_PIPELINES + " {name, pipeline} objects");
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "pipelines[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                f.reject(path, "must be an object {name, pipeline}");
                continue;
            }
            f.onlyKnown(entry, path, PIPELINE_ENTRY);
            JsonNode pipeline = f.object(entry, "pipeline", path + ".pipeline", true);
            String name = f.text(entry, "name", path + ".name", false, 64);
            if (pipeline == null) {
                continue;
            }
            if (name == null) {
                name = pipeline.path("strategy").asString("pipeline") + (pipeline.has("n")
                        ? "-" + pipeline.path("n").asString("") : "") + "#" + i;
            }
            if (!names.add(name)) {
                f.reject(path + ".name", "duplicate pipeline name '" + name + "'");
            }
            String verification = f.text(entry, "verification", path + ".verification", false, 16);
            if (verification != null && !Set.of(ExperimentSpec.Arm.ORACLE, ExperimentSpec.Arm.VISIBLE)
                    .contains(verification)) {
                f.reject(path + ".verification", "must be one of [oracle, visible]");
                verification = null;
            }
            entries.add(new Entry(name, pipeline, verification));
        }
        return entries;
    }

    private List<ExperimentSpec.Budget> budgets(JsonNode node, JsonFields f) {
        if (node == null || node.isNull()) {
            return List.of(ExperimentSpec.Budget.UNLIMITED);
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_BUDGETS) {
            f.reject("budgets", "must be an array of 1 to " + MAX_BUDGETS + " {name, maxTokens, maxCalls, maxFlops}");
            return List.of();
        }
        List<ExperimentSpec.Budget> budgets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "budgets[" + i + "]";
            JsonNode b = node.get(i);
            if (!b.isObject()) {
                f.reject(path, "must be an object");
                continue;
            }
            f.onlyKnown(b, path, BUDGET);
            Long tokens = f.integer(b, "maxTokens", path + ".maxTokens", 1, Long.MAX_VALUE / 4);
            Long calls = f.integer(b, "maxCalls", path + ".maxCalls", 1, Long.MAX_VALUE / 4);
            Double flops = f.positiveNumber(b, "maxFlops", path + ".maxFlops");
            String name = f.text(b, "name", path + ".name", false, 64);
            if (name == null) {
                name = tokens != null ? tokens + "tok" : calls != null ? calls + "calls" : flops != null
                        ? String.format(java.util.Locale.ROOT, "%.3gflops", flops) : "unlimited";
            }
            if (!names.add(name)) {
                f.reject(path + ".name", "duplicate budget name '" + name + "'");
            }
            budgets.add(new ExperimentSpec.Budget(name, tokens, calls, flops));
        }
        return budgets;
    }

    private static List<Long> seeds(JsonNode node, JsonFields f) {
        if (node == null || node.isNull()) {
            return List.of(1L);
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_SEEDS) {
            f.reject("seeds", "must be an array of 1 to " + MAX_SEEDS + " integers");
            return List.of();
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode s = node.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                f.reject("seeds[" + i + "]", "must be an integer");
            } else if (seeds.contains(s.longValue())) {
                f.reject("seeds[" + i + "]", "duplicate seed " + s.longValue());
            } else {
                seeds.add(s.longValue());
            }
        }
        return seeds;
    }

    /**
     * Parses the arm's run for every item, as the scheduler will; the first item an arm cannot run on is reported
     * (with its budget and item paths), not all of them.
     */
    private void checkAgainstItems(ExperimentSpec.Arm arm, int p, int b, List<SuiteItem> items, JsonFields f) {
        for (int i = 0; i < items.size(); i++) {
            try {
                cells.validate(arm, items.get(i));
            } catch (ApiProblem problem) {
                for (FieldError e : problem.errors()) {
                    f.reject(rename(e.field(), p, b, i), e.message());
                }
                return;
            }
        }
    }

    private static String rename(String field, int p, int b, int item) {
        if (field.startsWith("pipeline")) {
            return "pipelines[" + p + "]." + field;
        }
        if (field.startsWith("budget")) {
            return "budgets[" + b + "]" + field.substring("budget".length());
        }
        if (field.startsWith("input")) {
            return "dataset.items[" + item + "]" + field.substring("input".length());
        }
        return field;
    }
}
