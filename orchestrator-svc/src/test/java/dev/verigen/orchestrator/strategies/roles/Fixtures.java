package dev.verigen.orchestrator.strategies.roles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.Strategy;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.support.problems.FieldError;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/** Specs, validated options and scripted states for the iad and archon tests. */
public final class Fixtures {

    public static final Set<String> POOLS = Set.of("sim-math", "sim-small", "toy", "toy-big");
    public static final Set<String> SCORERS = Set.of("sim-orm", "sim-prm", "judge", "toy-orm");
    public static final RunInput INPUT = new RunInput("What is 6 * 7?", "42");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {
    }

    public static PipelineSpec spec(String strategy, String model, int n, String verifier, String rewardModel,
                                    int maxTokens, long seed) {
        return new PipelineSpec(strategy, n, model, verifier == null ? null : VerifierSpec.of(verifier), rewardModel,
                new SamplingParams(0.8, 1.0, maxTokens, seed, List.of(), false), 60);
    }

    public static StrategyOptions options(String json, PipelineSpec base, boolean hasReference) {
        return new StrategyOptions(json == null ? null : JSON.readTree(json), new JsonFields(), base, hasReference, POOLS,
                SCORERS, Set.of("exact", "numeric"));
    }

    /** The spec with {@code json} validated and normalised by the strategy, as the run request parser does. */
    public static PipelineSpec validated(Strategy strategy, PipelineSpec base, String json) {
        StrategyOptions o = options(json, base, true);
        Object normalised = strategy.options(o);
        assertThat(o.fields().errors()).as("errors for %s", json).isEmpty();
        return base.withOptions(normalised);
    }

    public static List<FieldError> errors(Strategy strategy, PipelineSpec base, String json, boolean hasReference) {
        StrategyOptions o = options(json, base, hasReference);
        strategy.options(o);
        return o.fields().errors();
    }

    public static RunState state(PipelineSpec spec, RunState.Budget budget, List<RunState.Step> steps,
                                 List<RunState.Candidate> candidates, Object memo) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = memo == null ? null : dev.verigen.contracts.Json.convert(memo, Map.class);
        return new RunState(UUID.nameUUIDFromBytes(new byte[]{7}), spec, INPUT, budget, steps, candidates, map);
    }

    public static RunState.Step done(StepKind kind, String label) {
        return new RunState.Step(UUID.randomUUID(), kind, RunState.Step.Status.DONE, null, null, label, 1);
    }

    public static RunState.Step pending(StepKind kind, String label) {
        return new RunState.Step(UUID.randomUUID(), kind, RunState.Step.Status.PENDING, null, null, label, 1);
    }

    public static RunState.Step failed(StepKind kind, String label) {
        return new RunState.Step(UUID.randomUUID(), kind, RunState.Step.Status.FAILED, "engine_error", "boom", label, 1);
    }

    public static RunState.Candidate answer(int index, String label, String text, Verdict.Outcome verdict, Double score) {
        return candidate(index, label, Role.GENERATE, text, null, verdict, score, "sim-math");
    }

    public static RunState.Candidate candidate(int index, String label, Role role, String text, UUID parent,
                                               Verdict.Outcome verdict, Double score, String pool) {
        return new RunState.Candidate(UUID.nameUUIDFromBytes(("c" + index + label).getBytes()), index, text, verdict,
                null, score, score == null ? Map.of() : Map.of("sim-orm", score), parent, label, role, pool, true,
                "stop", 10, null);
    }
}
