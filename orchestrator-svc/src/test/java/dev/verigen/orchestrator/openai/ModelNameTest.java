package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.support.problems.ApiProblem;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelNameTest {

    private static final Set<String> POOLS = Set.of("sim-math", "arith-tiny");

    private static ModelName parse(String id) {
        return ModelName.parse(id, POOLS, 1024);
    }

    private static ApiProblem refused(String id) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> parse(id));
        assertThat(problem).as("expected '%s' to be refused", id).isNotNull();
        return problem;
    }

    @Test
    void presetsPoolsAndSavedPipelinesAreToldApart() {
        assertThat(parse("bon-8/sim-math")).isEqualTo(new ModelName.OfPreset("bon-8/sim-math",
                new Preset(Preset.Kind.BON, 8), "sim-math"));
        assertThat(parse("iad/arith-tiny")).isEqualTo(new ModelName.OfPreset("iad/arith-tiny",
                new Preset(Preset.Kind.IAD, 4), "arith-tiny"));
        assertThat(parse("greedy/sim-math")).isEqualTo(new ModelName.OfPreset("greedy/sim-math",
                new Preset(Preset.Kind.GREEDY, 1), "sim-math"));
        assertThat(parse("sim-math")).isEqualTo(new ModelName.OfPool("sim-math", "sim-math"));
        assertThat(parse("my-math.v2")).isEqualTo(new ModelName.OfPipeline("my-math.v2", "my-math.v2", null));
        assertThat(parse("my-math/arith-tiny")).isEqualTo(new ModelName.OfPipeline("my-math/arith-tiny", "my-math",
                "arith-tiny"));
    }

    @Test
    void unknownNamesAre404AtModel() {
        for (String id : new String[] {"gpt-4o/unknown-pool", "Bon-8/sim-math", "a/b/c", "bon-8", "-x", "x".repeat(200)}) {
            ApiProblem problem = refused(id);
            assertThat(problem.status().value()).as(id).isEqualTo(404);
            assertThat(problem.slug()).isEqualTo("model-not-found");
            assertThat(problem.errors().getFirst().field()).isEqualTo("model");
        }
        assertThat(refused("bon-8").getMessage()).contains("bon-8/<pool>");
        assertThat(refused("bon-8/nope").getMessage()).contains("no model pool 'nope'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bon-0/sim-math", "bon-1025/sim-math", "beam-65/sim-math", "bon/sim-math",
            "single-2/sim-math", "iad-257/sim-math", "sc-99999999999/sim-math"})
    void badPresetSizesAre400AtModel(String id) {
        ApiProblem problem = refused(id);
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.errors().getFirst().field()).isEqualTo("model");
    }

    @Test
    void sizesAreBoundedByTheStrategyAndTheOrchestratorsLimit() {
        assertThat(ModelName.parse("bon-64/sim-math", POOLS, 64)).isInstanceOf(ModelName.OfPreset.class);
        assertThat(catchThrowableOfType(ApiProblem.class, () -> ModelName.parse("bon-65/sim-math", POOLS, 64))
                .getMessage()).contains("between 1 and 64");
        assertThat(parse("beam-64/sim-math")).isInstanceOf(ModelName.OfPreset.class);
    }

    @Test
    void namesThatReadAsPresetsAreRecognisedSoTheyCannotBeSaved() {
        assertThat(Preset.looksLikePreset("bon-8")).isTrue();
        assertThat(Preset.looksLikePreset("iad")).isTrue();
        assertThat(Preset.looksLikePreset("bon")).isTrue();
        assertThat(Preset.looksLikePreset("bonus-8")).isFalse();
        assertThat(Preset.looksLikePreset("my-bon-8")).isFalse();
    }

    /** Every preset, on a pool with configured reward models and on one without, is a run the orchestrator accepts. */
    @ParameterizedTest
    @ValueSource(strings = {"single", "greedy", "bon-8", "wbon-8", "sc-8", "wsc-8", "lsc-8", "ff-8", "beam-4",
            "dvts-4", "pf-8", "iad", "iad-2", "bon-1024", "beam-64"})
    void everyPresetIsAValidRun(String preset) {
        for (String pool : POOLS) {
            ChatRequest request = Fixtures.CHAT.parse(Fixtures.json("""
                    {"model": "m", "messages": [{"role": "user", "content": "What is 2 + 2?"}]}"""), null);
            CreateRun run = Fixtures.PLANNER.plan(request, Fixtures.preset(preset, pool), 7L);
            assertThat(run.spec().model()).isEqualTo(pool);
            assertThat(run.input().prompt()).isEqualTo("What is 2 + 2?");
        }
    }

    @Test
    void presetsMapToTheirStrategiesWithTheConfiguredScorers() {
        ChatRequest request = Fixtures.CHAT.parse(Fixtures.json("""
                {"model": "m", "messages": [{"role": "user", "content": "q"}]}"""), null);
        var bon = Fixtures.PLANNER.plan(request, Fixtures.preset("bon-8", "sim-math"), 1L).spec();
        assertThat(bon.strategy()).isEqualTo("best_of_n");
        assertThat(bon.n()).isEqualTo(8);
        assertThat(bon.rewardModel()).isEqualTo("sim-orm");
        var fallback = Fixtures.PLANNER.plan(request, Fixtures.preset("bon-8", "arith-tiny"), 1L).spec();
        assertThat(fallback.rewardModel()).isEqualTo("likelihood:arith-tiny");
        var beam = Fixtures.PLANNER.plan(request, Fixtures.preset("beam-4", "sim-math"), 1L).spec();
        assertThat(beam.strategy()).isEqualTo("beam_search");
        assertThat(beam.options()).containsEntry("beamWidth", 4).containsEntry("prm", "sim-prm:last");
        var wsc = Fixtures.PLANNER.plan(request, Fixtures.preset("wsc-16", "sim-math"), 1L).spec();
        assertThat(wsc.options()).containsEntry("vote", "weighted");
        var greedy = Fixtures.PLANNER.plan(request, Fixtures.preset("greedy", "sim-math"), 1L).spec();
        assertThat(greedy.sampling().temperature()).isZero();
        assertThat(Preset.parse("bon-8", 1024).orElseThrow().name()).isEqualTo("bon-8");
        assertThat(Preset.parse("iad", 1024).orElseThrow().name()).isEqualTo("iad");
    }
}
