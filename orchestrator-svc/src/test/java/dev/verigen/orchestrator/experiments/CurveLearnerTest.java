package dev.verigen.orchestrator.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.allocation.Arm;
import dev.verigen.orchestrator.allocation.Options;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CurveLearnerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ExperimentSpec.Arm uniform(String pipeline) {
        var node = JSON.readTree(pipeline);
        return new ExperimentSpec.Arm("u@b", "u", ExperimentSpec.Budget.UNLIMITED, node, node.get("model").stringValue(),
                node.get("strategy").stringValue(), false);
    }

    @Test
    void aUniformArmTeachesTheAllocationArmItRunsAsTheAllocatorWouldBuyIt() {
        Options options = Options.read(Map.of("model", "sim-math", "rewardModel", "sim-orm", "strategies", List.of(
                Map.of("name", "vote", "strategy", "best_of_n"),
                Map.of("name", "genrm", "strategy", "best_of_n", "n", 4, "verifications", 4, "maxTokens", 20000),
                Map.of("name", "pf4", "strategy", "particle_filter", "n", 4, "maxTokens", 9000,
                        "options", Map.of("prm", "sim-prm:last")))));
        assertThat(CurveLearner.matching(uniform("""
                {"strategy": "best_of_n", "n": 4, "model": "sim-math", "rewardModel": "judge:sim-math:k=4"}"""),
                options)).map(Arm::name).contains("genrm");
        assertThat(CurveLearner.matching(uniform("""
                {"strategy": "particle_filter", "n": 4, "model": "sim-math", "rewardModel": "sim-orm"}"""), options))
                .map(Arm::name).contains("pf4");
        // another k, another size or the allocation's own voting pipeline: no match (voting samples teach the vote)
        assertThat(CurveLearner.matching(uniform("""
                {"strategy": "best_of_n", "n": 4, "model": "sim-math", "rewardModel": "judge:sim-math:k=2"}"""),
                options)).isEmpty();
        assertThat(CurveLearner.matching(uniform("""
                {"strategy": "best_of_n", "n": 8, "model": "sim-math", "rewardModel": "judge:sim-math:k=4"}"""),
                options)).isEmpty();
        assertThat(CurveLearner.matching(uniform("""
                {"strategy": "best_of_n", "n": 16, "model": "sim-math", "rewardModel": "sim-orm"}"""), options))
                .isEmpty();
    }
}
