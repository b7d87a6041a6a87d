package dev.verigen.orchestrator.strategies.archon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchonConfigParserTest {

    private final Archon archon = new Archon();
    private final PipelineSpec base = Fixtures.spec("archon", "sim-math", 4, "numeric", "sim-orm", 512, 7);

    private ArchonConfig parse(String options) {
        return ArchonConfig.of(Fixtures.validated(archon, base, options));
    }

    private List<FieldError> errors(String options) {
        return Fixtures.errors(archon, base, options, true);
    }

    private FieldError error(String options) {
        List<FieldError> errors = errors(options);
        assertThat(errors).as("errors of %s", options).hasSize(1);
        return errors.getFirst();
    }

    private static ArchonConfig.Component generator(String pool, int samples) {
        return new ArchonConfig.Component("generator", pool, samples, 0.8, 512, null, null, null, null, null);
    }

    @Test
    void readsAnArchonConfigAsArchonWritesIt() {
        var config = parse("""
                {"config": {"name": "archon-unit-tests-then-rank-critic-fuse", "layers": [
                  [{"type": "unit_test_generator", "model": "sim-math", "model_type": "vLLM", "temperature": 0.7,
                    "max_tokens": 256, "samples": 1, "unit_test_cap": 3}],
                  [{"type": "generator", "model": "sim-math", "model_type": "vLLM", "top_k": 1, "temperature": 0.7,
                    "max_tokens": 512, "samples": 2},
                   {"type": "generator", "model": "sim-small", "model_type": "Together_API", "temperature": 0.9,
                    "max_tokens": 512, "samples": 1, "checkpoint": "x"}],
                  [{"type": "unit_test_evaluator", "model": "sim-math", "temperature": 0.7, "max_tokens": 256,
                    "remove_unit_tests_from_prompt": true, "samples": 1, "top_k": 3, "first_pass": true}],
                  [{"type": "ranker", "model": "sim-math", "ranker_batch_size": 16, "top_k": 2, "temperature": 0.7,
                    "max_tokens": 256, "use_critiques": false}],
                  [{"type": "critic", "model": "sim-small", "temperature": 0.7, "max_tokens": 256, "samples": 1}],
                  [{"type": "verifier", "model": "sim-math", "temperature": 0.7, "max_tokens": 256, "samples": 1,
                    "first_k": 1}],
                  [{"type": "fuser", "temperature": 0.7, "max_tokens": 512, "samples": 1, "length_control": true}]
                ]}}""");
        assertThat(config.name()).isEqualTo("archon-unit-tests-then-rank-critic-fuse");
        assertThat(config.layers()).extracting(ArchonConfig.Layer::name).containsExactly("layer-0", "layer-1",
                "layer-2", "layer-3", "layer-4", "layer-5", "layer-6");
        // a generator layer answers the task afresh, as Archon's generators do: it takes no input
        assertThat(config.layers()).extracting(ArchonConfig.Layer::from).containsExactly(List.of(),
                List.of(), List.of("layer-1"), List.of("layer-2"), List.of("layer-3"), List.of("layer-4"),
                List.of("layer-5"));
        assertThat(config.layers().get(0).components()).containsExactly(new ArchonConfig.Component(
                "unit_test_generator", "sim-math", null, 0.7, 256, null, null, 3, null, null));
        assertThat(config.layers().get(1).components()).containsExactly(
                new ArchonConfig.Component("generator", "sim-math", 2, 0.7, 512, null, null, null, null, null),
                new ArchonConfig.Component("generator", "sim-small", 1, 0.9, 512, null, null, null, null, null));
        assertThat(config.layers().get(2).components().getFirst()).isEqualTo(new ArchonConfig.Component(
                "unit_test_evaluator", "sim-math", null, 0.7, 256, 3, 1, null, null, null));
        assertThat(config.layers().get(3).components().getFirst()).isEqualTo(new ArchonConfig.Component(
                "ranker", "sim-math", null, 0.7, 256, 2, null, null, false, null));
        assertThat(config.layers().get(5).components().getFirst()).isEqualTo(new ArchonConfig.Component(
                "verifier", "sim-math", null, 0.7, 256, null, 1, null, null, "model"));
        // a component without a model uses the run's
        assertThat(config.layers().get(6).components().getFirst()).isEqualTo(new ArchonConfig.Component(
                "fuser", "sim-math", 1, 0.7, 512, null, null, null, null, null));
    }

    @Test
    void readsTheCamelCaseFormatAndFillsInDefaults() {
        var config = parse("""
                {"layers": [[{"type": "generator", "pool": "sim-math", "samples": 4}, {"type": "generator", "pool": "sim-small"}],
                            [{"type": "critic"}],
                            [{"type": "ranker", "topK": 2, "useCritiques": true}],
                            [{"type": "fuser", "samples": 2, "temperature": 0.2, "maxTokens": 128}],
                            [{"type": "verifier", "by": "verifier"}]]}""");
        assertThat(config.name()).isNull();
        assertThat(config.layers().get(0).components()).containsExactly(generator("sim-math", 4),
                generator("sim-small", 1));
        assertThat(config.layers().get(1).components()).containsExactly(new ArchonConfig.Component("critic",
                "sim-math", null, 0.8, 512, null, null, null, null, null));
        assertThat(config.layers().get(2).components()).containsExactly(new ArchonConfig.Component("ranker",
                "sim-math", null, 0.8, 512, 2, null, null, true, null));
        assertThat(config.layers().get(3).components()).containsExactly(new ArchonConfig.Component("fuser",
                "sim-math", 2, 0.2, 128, null, null, null, null, null));
        assertThat(config.layers().get(4).components().getFirst().by()).isEqualTo("verifier");
        // defaults: a ranker keeps 5
        assertThat(parse("{\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"ranker\"}]]}").layers().get(1)
                .components().getFirst().topK()).isEqualTo(5);
    }

    @Test
    void namedLayersMayTakeTheirInputFromAnyLayerAndRunInAnOrderThatFeedsThem() {
        var config = parse("""
                {"name": "two branches", "layers": [
                  {"name": "wide", "components": [{"type": "generator", "pool": "sim-math", "samples": 6}]},
                  {"name": "pick", "from": ["fused", "wide"], "components": [{"type": "ranker", "topK": 1}]},
                  {"name": "fused", "from": "wide", "components": [{"type": "fuser"}]}
                ]}""");
        assertThat(config.name()).isEqualTo("two branches");
        assertThat(config.layers()).extracting(ArchonConfig.Layer::name).containsExactly("wide", "fused", "pick");
        assertThat(config.layers().get(2).from()).containsExactly("fused", "wide");
    }

    @Test
    void theNormalisedConfigIsValidInputThatNormalisesToItself() {
        PipelineSpec once = Fixtures.validated(archon, base, """
                {"config": {"name": "n", "layers": [[{"type": "generator", "model": "sim-small", "samples": 2}],
                  [{"type": "ranker", "top_k": 1}]]}}""");
        String stored = dev.verigen.contracts.Json.writeString(once.options());
        PipelineSpec twice = Fixtures.validated(archon, base, stored);
        assertThat(twice.options()).isEqualTo(once.options());
        assertThat(stored).doesNotContain("null");
    }

    @Test
    void everyMistakeIsReportedAtItsField() {
        record Case(String options, String field, String message) {
        }
        var cases = List.of(
                new Case("{}", "pipeline.options.layers", "is required"),
                new Case("{\"layers\": [], \"config\": {}}", "pipeline.options", "not both"),
                new Case("{\"steps\": 1, \"layers\": [[{\"type\": \"generator\"}]]}", "pipeline.options.steps", "unknown"),
                new Case("{\"layers\": []}", "pipeline.options.layers", "1 to 16 layers"),
                new Case("{\"config\": []}", "pipeline.options.config", "must be an object"),
                new Case("{\"config\": {\"name\": \"x\"}}", "pipeline.options.config.layers", "is required"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\"}]], \"custom\": true}}",
                        "pipeline.options.config.custom", "custom components"),
                new Case("{\"layers\": [[]]}", "pipeline.options.layers[0]", "1 to 16 components"),
                new Case("{\"layers\": [[\"generator\"]]}", "pipeline.options.layers[0][0]", "object with a type"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"summarizer\"}]]}}",
                        "pipeline.options.config.layers[1][0].type", "unknown component type 'summarizer'"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\", \"model\": \"gpt-4o\"}]]}}",
                        "pipeline.options.config.layers[0][0].model", "unknown model pool 'gpt-4o'"),
                new Case("{\"layers\": [[{\"type\": \"generator\", \"pool\": \"llama\"}]]}",
                        "pipeline.options.layers[0][0].pool", "unknown model pool 'llama'"),
                new Case("{\"layers\": [[{\"type\": \"generator\", \"samples\": 0}]]}",
                        "pipeline.options.layers[0][0].samples", "between 1 and 1024"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\", \"samples\": 1025}]]}}",
                        "pipeline.options.config.layers[0][0].samples", "between 1 and 1024"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\", \"model\": \"gpt-4o\"}]]}, "
                        + "\"modelMap\": {\"gpt-4o\": \"gpt-4o\"}}",
                        "pipeline.options.modelMap[\"gpt-4o\"]", "must name a model pool"),
                new Case("{\"config\": {\"layers\": [{\"branches\": 2, \"models\": [{\"type\": \"generator\"}], "
                        + "\"width\": 3}]}}", "pipeline.options.config.layers[0].width", "unknown"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"ranker\", \"top_k\": 0}]]}}",
                        "pipeline.options.config.layers[1][0].top_k", "between 1 and 64"),
                new Case("{\"layers\": [[{\"type\": \"generator\", \"maxTokens\": 4096}]]}",
                        "pipeline.options.layers[0][0].maxTokens", "at most pipeline.maxTokens (512)"),
                new Case("{\"layers\": [[{\"type\": \"generator\", \"temperature\": 3}]]}",
                        "pipeline.options.layers[0][0].temperature", "between 0.0 and 2.0"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"generator\", \"sample\": 2}]]}}",
                        "pipeline.options.config.layers[0][0].sample", "unknown key"),
                new Case("{\"layers\": [[{\"type\": \"generator\", \"topK\": 2}]]}",
                        "pipeline.options.layers[0][0].topK", "not a setting of a generator"),
                new Case("{\"layers\": [[{\"type\": \"generator\", \"max_tokens\": 2}]]}",
                        "pipeline.options.layers[0][0].max_tokens", "not a setting of a generator"),
                new Case("{\"layers\": [[{\"type\": \"critic\"}], [{\"type\": \"generator\"}]]}",
                        "pipeline.options.layers[0][0].type", "no generator layer comes before it"),
                new Case("{\"config\": {\"layers\": [[{\"type\": \"fuser\"}]]}}",
                        "pipeline.options.config.layers[0][0].type", "no generator layer comes before it"),
                new Case("{\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"generator\"}]]}",
                        "pipeline.options.layers[1][0].type", "cannot take candidates"),
                new Case("{\"layers\": [[{\"type\": \"generator\"}, {\"type\": \"fuser\"}]]}",
                        "pipeline.options.layers[0][1].type", "components of one type"),
                new Case("{\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"ranker\"}, {\"type\": \"ranker\"}]]}",
                        "pipeline.options.layers[1][1]", "only component of its layer"),
                new Case("{\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"unit_test_evaluator\"}]]}",
                        "pipeline.options.layers[1][0].type", "earlier unit_test_generator"),
                new Case("{\"layers\": [[{\"type\": \"unit_test_generator\"}]]}", "pipeline.options.layers",
                        "produces no candidates"),
                new Case("{\"layers\": [[{\"type\": \"generator\"}], [{\"type\": \"verifier\", \"by\": \"oracle\"}]]}",
                        "pipeline.options.layers[1][0].by", "[model, verifier]"),
                new Case("""
                        {"layers": [{"name": "g", "components": [{"type": "generator"}]},
                                    {"name": "b", "from": "c", "components": [{"type": "fuser"}]},
                                    {"name": "c", "from": "b", "components": [{"type": "critic"}]}]}""",
                        "pipeline.options.layers[1].from", "cycle in layer references: b -> c -> b"),
                new Case("""
                        {"layers": [{"name": "g", "components": [{"type": "generator"}]},
                                    {"name": "self", "from": ["g", "self"], "components": [{"type": "ranker"}]}]}""",
                        "pipeline.options.layers[1].from", "cycle in layer references: self -> self"),
                new Case("""
                        {"layers": [{"name": "g", "components": [{"type": "generator"}]},
                                    {"name": "r", "from": "gen", "components": [{"type": "ranker"}]}]}""",
                        "pipeline.options.layers[1].from", "unknown layer 'gen'"),
                new Case("""
                        {"layers": [{"name": "g", "components": [{"type": "generator"}]},
                                    {"name": "g", "components": [{"type": "ranker"}]}]}""",
                        "pipeline.options.layers[1].name", "duplicate layer name 'g'"),
                new Case("""
                        {"layers": [{"name": "g", "from": 3, "components": [{"type": "generator"}]}]}""",
                        "pipeline.options.layers[0].from", "layer name or an array"),
                new Case("""
                        {"layers": [{"name": "g", "inputs": "x", "components": [{"type": "generator"}]}]}""",
                        "pipeline.options.layers[0].inputs", "unknown field"));
        for (Case c : cases) {
            assertThat(errors(c.options())).as(c.options()).anySatisfy(e -> {
                assertThat(e.field()).isEqualTo(c.field());
                assertThat(e.message()).contains(c.message());
            });
        }
    }

    @Test
    void aCycleIsReportedOnceAndAtTheLayerThatNamesItsInput() {
        FieldError e = error("""
                {"layers": [{"name": "a", "components": [{"type": "generator"}]},
                            {"name": "b", "from": "d", "components": [{"type": "critic"}]},
                            {"name": "c", "components": [{"type": "ranker"}]},
                            {"name": "d", "components": [{"type": "fuser"}]}]}""");
        assertThat(e.field()).isEqualTo("pipeline.options.layers[1].from");
        assertThat(e.message()).isEqualTo("cycle in layer references: b -> c -> d -> b");
    }

    @Test
    void theRunsVerifierCanOnlyBeUsedWhenTheRunHasOne() {
        var noVerifier = Fixtures.spec("archon", "sim-math", 4, null, "sim-orm", 512, 7);
        assertThat(Fixtures.errors(archon, noVerifier, """
                {"layers": [[{"type": "generator"}], [{"type": "verifier", "by": "verifier"}]]}""", true))
                .extracting(FieldError::field).containsExactly("pipeline.options.layers[1][0].by");
        assertThat(Fixtures.errors(archon, base, """
                {"layers": [[{"type": "generator"}], [{"type": "verifier", "by": "verifier"}]]}""", false))
                .extracting(FieldError::field).containsExactly("pipeline.options.layers[1][0].by");
    }

    @Test
    void archonsDeprecatedModelsObjectIsAccepted() {
        var config = parse("{\"config\": {\"layers\": [{\"models\": [{\"type\": \"generator\", \"samples\": 3}]}]}}");
        assertThat(config.layers().getFirst().components()).containsExactly(generator("sim-math", 3));
        assertThat(error("{\"config\": {\"layers\": [{\"models\": []}]}}").field())
                .isEqualTo("pipeline.options.config.layers[0].models");
    }

    @Test
    void archonsPublishedFormsLoadAsArchonReadsThem() {
        // a multi-branch layer object, keys Archon's code never reads (batch_num, the misspelt length_contorl),
        // samples past 64, a generator layer after a fuser and a layer written as one component object
        var config = parse("""
                {"config": {"name": "published", "layers": [
                  {"branches": 2, "models": [{"type": "generator", "model": "Qwen/Qwen2-72B-Instruct",
                      "model_type": "Together_API", "temperature": 0.7, "max_tokens": 512, "samples": 100}]},
                  [{"type": "fuser", "model": "Qwen/Qwen2-72B-Instruct", "model_type": "Together_API",
                    "temperature": 0.7, "max_tokens": 512, "samples": 1, "length_contorl": true, "top_k": 5}],
                  [{"type": "generator", "model": "gpt-4o", "model_type": "OpenAI_API", "temperature": 0.7,
                    "max_tokens": 512, "samples": 3}],
                  {"type": "verifier", "model": "gpt-4o", "model_type": "OpenAI_API", "temperature": 0.0,
                   "max_tokens": 512, "samples": 1, "batch_num": 2}]},
                 "modelMap": {"gpt-4o": "sim-small", "*": "sim-math"}}""");
        assertThat(config.layers()).hasSize(4);
        assertThat(config.layers().get(0).components().getFirst().samples()).isEqualTo(100);
        assertThat(config.layers().get(0).components().getFirst().pool()).isEqualTo("sim-math");
        // the second generator starts afresh (Archon's generators ignore what came before), the verifier takes its
        // candidates
        assertThat(config.layers().get(2).from()).isEmpty();
        assertThat(config.layers().get(2).components().getFirst().pool()).isEqualTo("sim-small");
        assertThat(config.layers().get(3).from()).containsExactly(config.layers().get(2).name());
        assertThat(config.layers().get(3).components().getFirst().type()).isEqualTo("verifier");
        // the normalised form is valid input, without the map: every model is a pool now
        var again = ArchonConfig.of(Fixtures.validated(archon, base,
                tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(
                        Fixtures.validated(archon, base, "{\"layers\": " + tools.jackson.databind.json.JsonMapper
                                .builder().build().writeValueAsString(config.layers()) + "}").options())));
        assertThat(again.layers().get(2).from()).isEmpty();
    }

    @Test
    void anUnmappedModelNameSaysHowToMapIt() {
        assertThat(error("""
                {"config": {"layers": [[{"type": "generator", "model": "claude-3-opus"}]]}}""").message())
                .contains("unknown model pool 'claude-3-opus'").contains("pipeline.options.modelMap");
    }

    @Test
    void anArchonLayerOfSeveralTypesRunsAsOneLayerPerTypeOnTheSameInput() {
        var config = parse("""
                {"config": {"layers": [
                  [{"type": "generator", "samples": 2}],
                  [{"type": "generator", "samples": 3}, {"type": "fuser"}, {"type": "generator"}],
                  [{"type": "ranker", "top_k": 2}]]}}""");
        assertThat(config.layers()).extracting(ArchonConfig.Layer::name)
                .containsExactly("layer-0", "layer-1", "layer-1-b", "layer-2");
        // the generators start afresh, the fuser works on the first layer's candidates, the ranker takes both
        assertThat(config.layers().get(1).components()).extracting(ArchonConfig.Component::samples)
                .containsExactly(3, 1);
        assertThat(config.layers().get(1).from()).isEmpty();
        assertThat(config.layers().get(2).from()).containsExactly("layer-0");
        assertThat(config.layers().get(3).from()).containsExactly("layer-1", "layer-1-b");
    }
}
