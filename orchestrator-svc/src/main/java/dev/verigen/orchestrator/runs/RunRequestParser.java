package dev.verigen.orchestrator.runs;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Turns a {@code POST /v1/runs} body into a valid {@link CreateRun}, filling in defaults, or refuses it with
 * every offending field named. Unknown fields are refused too: a misspelt option silently ignored would change
 * what a run does without anyone noticing.
 */
@Component
public class RunRequestParser {

    private static final Set<String> TOP = Set.of("pipeline", "input", "budget");
    private static final Set<String> PIPELINE = Set.of("strategy", "n", "model", "verifier", "rewardModel",
            "temperature", "topP", "maxTokens", "seed", "stop", "jobTimeoutSeconds", "options");
    private static final Set<String> INPUT = Set.of("prompt", "reference");
    private static final Set<String> BUDGET = Set.of("maxTokens", "maxCalls", "maxFlops");
    private static final Pattern NUMBER = Pattern.compile("\\s*[-+]?(\\d[\\d,]*)?(\\.\\d+)?([eE][-+]?\\d+)?\\s*");
    private static final int MAX_OPTION_LENGTH = 20_000;

    private final StrategyRegistry strategies;
    private final OrchestratorProperties properties;
    private final ComputeEstimator compute;

    @Autowired
    public RunRequestParser(StrategyRegistry strategies, OrchestratorProperties properties, ComputeEstimator compute) {
        this.strategies = strategies;
        this.properties = properties;
        this.compute = compute;
    }

    /** Prices FLOPs with the shipped model sizes. */
    public RunRequestParser(StrategyRegistry strategies, OrchestratorProperties properties) {
        this(strategies, properties, ComputeEstimator.DEFAULTS);
    }

    /**
     * @param seedIfAbsent the seed a run gets when the request names none; stored so the run can be replayed
     * @throws ApiProblem listing every invalid field
     */
    public CreateRun parse(JsonNode body, long seedIfAbsent) {
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", TOP);
        JsonNode pipeline = f.object(body, "pipeline", "pipeline", true);
        JsonNode input = f.object(body, "input", "input", true);
        JsonNode budget = f.object(body, "budget", "budget", false);
        f.onlyKnown(pipeline, "pipeline", PIPELINE);
        f.onlyKnown(input, "input", INPUT);
        f.onlyKnown(budget, "budget", BUDGET);

        var limits = properties.limits();
        String prompt = f.text(input, "prompt", "input.prompt", true, limits.maxPromptChars());
        String reference = f.text(input, "reference", "input.reference", false, limits.maxPromptChars());

        String strategy = f.text(pipeline, "strategy", "pipeline.strategy", true, 64);
        if (strategy != null && strategies.find(strategy).isEmpty()) {
            f.reject("pipeline.strategy", "unknown strategy '" + strategy + "'; known: " + strategies.names());
        }
        Long n = f.integer(pipeline, "n", "pipeline.n", 1, limits.maxSamples());
        String model = f.text(pipeline, "model", "pipeline.model", true, 64);
        if (model != null && !properties.pools().contains(model)) {
            f.reject("pipeline.model", Topics.isValidPoolName(model)
                    ? "unknown model pool '" + model + "'; available: " + new TreeSet<>(properties.pools())
                    : "not a valid model pool name");
        }
        VerifierSpec verifier = verifier(f, pipeline, reference);
        String rewardModel = f.text(pipeline, "rewardModel", "pipeline.rewardModel", false, 64);
        if (rewardModel != null && !properties.scorers().contains(rewardModel.split(":", 2)[0])) {
            f.reject("pipeline.rewardModel", "unknown reward model '" + rewardModel + "'; available: "
                    + new TreeSet<>(properties.scorers()));
        }
        Double temperature = f.decimal(pipeline, "temperature", "pipeline.temperature", 0, 2);
        Double topP = f.decimal(pipeline, "topP", "pipeline.topP", 1e-6, 1);
        Long maxTokens = f.integer(pipeline, "maxTokens", "pipeline.maxTokens", 1, limits.maxTokensPerSample());
        Long seed = f.integer(pipeline, "seed", "pipeline.seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> stop = f.strings(pipeline, "stop", "pipeline.stop", 8, 64);
        Long timeout = f.integer(pipeline, "jobTimeoutSeconds", "pipeline.jobTimeoutSeconds", 1, 3600);

        Long budgetTokens = f.integer(budget, "maxTokens", "budget.maxTokens", 1, Long.MAX_VALUE / 4);
        Long budgetCalls = f.integer(budget, "maxCalls", "budget.maxCalls", 1, Long.MAX_VALUE / 4);
        Double budgetFlops = f.positiveNumber(budget, "maxFlops", "budget.maxFlops");

        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        var sampling = new SamplingParams(temperature == null ? 0.8 : temperature, topP == null ? 1.0 : topP,
                maxTokens == null ? 256 : maxTokens.intValue(), seed == null ? seedIfAbsent : seed, stop, false);
        if (budgetTokens != null && budgetTokens < Costs.generationTokens(prompt, 1, sampling.maxTokens())) {
            f.reject("budget.maxTokens", "cannot pay for a single sample: one needs up to "
                    + Costs.generationTokens(prompt, 1, sampling.maxTokens()) + " tokens (prompt plus maxTokens)");
            throw ApiProblem.invalid(f.errors());
        }
        double oneSample = Costs.generationFlops(compute, model, prompt, 1, sampling.maxTokens());
        if (budgetFlops != null && budgetFlops < oneSample) {
            f.reject("budget.maxFlops", String.format(Locale.ROOT, "cannot pay for a single sample: one needs up to "
                    + "%.4g FLOPs on %s (prompt plus maxTokens)", oneSample, model));
            throw ApiProblem.invalid(f.errors());
        }
        var spec = new PipelineSpec(strategy, n == null ? 8 : n.intValue(), model, verifier, rewardModel, sampling,
                timeout == null ? limits.defaultJobTimeoutSeconds() : timeout.intValue());
        JsonNode options = pipeline.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            f.reject("pipeline.options", "must be an object");
            throw ApiProblem.invalid(f.errors());
        }
        Object normalised = strategies.get(strategy).options(new StrategyOptions(
                options == null || options.isNull() ? null : options, f, spec, reference != null && !reference.isBlank(),
                properties.pools(), properties.scorers(), properties.verifiers()));
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        return new CreateRun(spec.withOptions(normalised), new RunInput(prompt, reference), budgetTokens, budgetCalls,
                budgetFlops);
    }

    /**
     * The verifier may be given as a name or as {@code {"type": ..., option: value...}}. Absent, it defaults to
     * {@code numeric} for numeric references and {@code exact} for others; {@code null} turns verification off.
     */
    private VerifierSpec verifier(JsonFields f, JsonNode pipeline, String reference) {
        if (pipeline == null) {
            return null;
        }
        JsonNode node = pipeline.get("verifier");
        if (node == null) {
            if (reference == null) {
                return null;
            }
            return VerifierSpec.of(NUMBER.matcher(reference).matches() && !reference.isBlank() ? "numeric" : "exact");
        }
        if (node.isNull()) {
            return null;
        }
        String type;
        Map<String, String> options = new LinkedHashMap<>();
        if (node.isString()) {
            type = node.stringValue();
        } else if (node.isObject()) {
            type = f.text(node, "type", "pipeline.verifier.type", true, 64);
            for (String name : node.propertyNames()) {
                if (name.equals("type")) {
                    continue;
                }
                JsonNode value = node.get(name);
                // nested specs (a composite's children) travel as JSON text, as verifier-svc expects them
                String text = value.isContainer() ? value.toString() : value.asString();
                if (value.isNull() || text.length() > MAX_OPTION_LENGTH) {
                    f.reject("pipeline.verifier." + name, "must be a value of at most " + MAX_OPTION_LENGTH + " characters");
                } else {
                    options.put(name, text);
                }
            }
        } else {
            f.reject("pipeline.verifier", "must be a verifier name or an object with a type");
            return null;
        }
        if (type == null) {
            return null;
        }
        if (!properties.verifiers().contains(type)) {
            f.reject(node.isObject() ? "pipeline.verifier.type" : "pipeline.verifier",
                    "unknown verifier '" + type + "'; available: " + new TreeSet<>(properties.verifiers()));
            return null;
        }
        return new VerifierSpec(type, options);
    }
}
