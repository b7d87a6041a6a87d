package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.FirstFinish;
import dev.verigen.orchestrator.strategies.IterativeAgentDecoding;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The orchestrator's shipped settings and strategies, without Spring. */
final class Fixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final OrchestratorProperties PROPERTIES = new OrchestratorProperties(Set.of("sim-math", "arith-tiny"),
            Set.of("exact", "numeric", "composite", "json_schema"), Set.of("sim-orm", "sim-prm", "judge", "likelihood"),
            new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
            new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100));
    static final OpenAiProperties SETTINGS = new OpenAiProperties(Duration.ofMinutes(5), Duration.ofSeconds(2),
            List.of(4, 8, 16), Map.of("sim-math", "sim-orm"), Map.of("sim-math", "sim-prm:last"));
    static final RunRequestParser RUNS = new RunRequestParser(new StrategyRegistry(List.of(new BestOfN(),
            new SelfConsistency(), new FirstFinish(), new BeamSearch(), new Dvts(), new ParticleFilter(),
            new IterativeAgentDecoding())), PROPERTIES);
    static final ChatRequestParser CHAT = new ChatRequestParser(PROPERTIES, SETTINGS);
    static final RunPlanner PLANNER = new RunPlanner(RUNS);

    private Fixtures() {
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    static ResolvedModel preset(String name, String pool) {
        Preset preset = Preset.parse(name, PROPERTIES.limits().maxSamples()).orElseThrow();
        return new ResolvedModel(name + "/" + pool, preset.pipeline(pool, SETTINGS), preset.samplesFollowChoices(),
                "", 0, false);
    }
}
