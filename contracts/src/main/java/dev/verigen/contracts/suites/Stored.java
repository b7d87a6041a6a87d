package dev.verigen.contracts.suites;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The stored built-in suites, each read from its JSONL resource on first use:
 * <ul>
 *   <li>{@code text2sql.jsonl}: {@code {id, question, reference (gold SQL), wrong: [SQL…]}}; the prompt is
 *       {@link BuiltInSuites#text2sqlPrompt}, the simulator's gold answer the reference itself;</li>
 *   <li>{@code code.jsonl}: {@code {id, stub (signature and docstring), reference (unit tests, a Python test source),
 *       solution, wrong: [Python…]}}; the prompt is {@link BuiltInSuites#codePrompt}.</li>
 * </ul>
 */
enum Stored {
    TEXT2SQL(BuiltInSuites.TEXT2SQL, TaskKind.SQL,
            "natural-language questions over verifier-svc's sample schema shop (filters, aggregates, joins, "
                    + "group by/having, order by + limit); gold SQL, sql_execution verifier"),
    CODE(BuiltInSuites.CODE, TaskKind.CODE,
            "small Python functions from a signature and docstring; reference = unit tests, code_tests verifier");

    private record Loaded(Suite suite, Map<String, SimulatedAnswers> answers) {
    }

    private final String name;
    private final TaskKind kind;
    private final String description;
    private volatile Loaded loaded;

    Stored(String name, TaskKind kind, String description) {
        this.name = name;
        this.kind = kind;
        this.description = description;
    }

    Suite suite() {
        return loaded().suite();
    }

    Map<String, SimulatedAnswers> answers() {
        return loaded().answers();
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    l = load();
                    loaded = l;
                }
            }
        }
        return l;
    }

    private Loaded load() {
        List<SuiteItem> items = new ArrayList<>();
        List<SimulatedAnswers> answers = new ArrayList<>();
        for (JsonNode line : SuiteResources.lines(name)) {
            String id = SuiteResources.text(line, "id");
            String reference = SuiteResources.text(line, "reference");
            String prompt;
            String gold;
            if (kind == TaskKind.SQL) {
                prompt = BuiltInSuites.text2sqlPrompt(SuiteResources.text(line, "question"));
                gold = reference;
            } else {
                prompt = BuiltInSuites.codePrompt(SuiteResources.text(line, "stub"));
                gold = SuiteResources.text(line, "solution");
            }
            // a code item's first test is visible to pipelines; grading runs every test
            items.add(new SuiteItem(id, prompt, reference, kind.wireName(),
                    kind == TaskKind.CODE ? SuiteItem.firstTest(reference) : null));
            answers.add(new SimulatedAnswers(id, gold, SuiteResources.texts(line, "wrong")));
        }
        return new Loaded(new Suite(name, description, BuiltInSuites.SIM_POOL, kind, items),
                SimulatedAnswers.byId(answers));
    }
}
