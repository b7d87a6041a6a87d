package dev.verigen.orchestrator.strategies.archon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.IterativeAgentDecoding;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import dev.verigen.orchestrator.strategies.iad.IadOptions;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The two strategies' options through the real request parser, as POST /v1/runs sees them. */
class RunRequestOptionsTest {

    private final RunRequestParser parser = new RunRequestParser(
            new StrategyRegistry(List.of(new Archon(), new IterativeAgentDecoding())),
            new OrchestratorProperties(Set.of("sim-math", "sim-small"), Set.of("exact", "numeric"),
                    Set.of("sim-orm", "sim-prm", "judge"), new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
                    new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100)));
    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void anArchonRequestIsStoredWithItsNormalisedPipeline() {
        var run = parser.parse(mapper.readTree("""
                {"pipeline": {"strategy": "archon", "model": "sim-math", "verifier": "numeric", "rewardModel": "sim-orm",
                  "options": {"config": {"name": "ensemble-rank-fuse", "layers": [
                    [{"type": "generator", "model": "sim-math", "model_type": "vLLM", "samples": 3},
                     {"type": "generator", "model": "sim-small", "samples": 2}],
                    [{"type": "ranker", "top_k": 3}], [{"type": "critic"}], [{"type": "fuser"}]]}}},
                 "input": {"prompt": "What is 17 * 23 + 5?", "reference": "396"}}"""), 1L);
        ArchonConfig config = ArchonConfig.of(run.spec());
        assertThat(config.name()).isEqualTo("ensemble-rank-fuse");
        assertThat(config.layers().getFirst().components()).extracting(ArchonConfig.Component::pool)
                .containsExactly("sim-math", "sim-small");
        assertThat(run.spec().options()).containsOnlyKeys("name", "layers");
    }

    @Test
    void archonMistakesComeBackWithTheirPaths() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> parser.parse(mapper.readTree("""
                {"pipeline": {"strategy": "archon", "model": "sim-math",
                  "options": {"layers": [[{"type": "ranker"}], [{"type": "generator", "pool": "gpt-4o"}]]}},
                 "input": {"prompt": "p"}}"""), 1L));
        assertThat(problem.errors()).extracting(FieldError::field)
                .containsExactly("pipeline.options.layers[1][0].pool");
    }

    @Test
    void anIadRequestGetsItsDefaultsAndIsRefusedWithoutFeedback() {
        var run = parser.parse(mapper.readTree("""
                {"pipeline": {"strategy": "iad", "model": "sim-math", "n": 6, "rewardModel": "sim-orm",
                  "options": {"critique": true}}, "input": {"prompt": "p"}}"""), 1L);
        assertThat(IadOptions.of(run.spec())).isEqualTo(new IadOptions(4, 6, 2, true, 2, true));
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> parser.parse(mapper.readTree("""
                {"pipeline": {"strategy": "iad", "model": "sim-math"}, "input": {"prompt": "p"}}"""), 1L));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("pipeline.rewardModel");
    }
}
