package dev.verigen.orchestrator.strategies;

import dev.verigen.orchestrator.strategies.archon.ArchonConfig;
import dev.verigen.orchestrator.strategies.archon.ArchonConfigParser;
import dev.verigen.orchestrator.strategies.archon.ArchonPipeline;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Archon (Saad-Falcon et al., 2024): an inference-time architecture of layers, each of one kind of component —
 * generators (an ensemble over model pools), critics, rankers, fusers, verifiers (an LLM judge, or the run's
 * verifier), unit test generators and evaluators — each layer working on the candidates of the layer before. The
 * pipeline comes as Archon's own JSON config ({@code options.config}) or in the camelCase format
 * ({@code options.layers}); see {@link ArchonConfigParser} and docs/strategies/archon.md.
 */
@Component
public class Archon implements Strategy {

    public static final String NAME = "archon";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions options) {
        return ArchonConfigParser.read(options);
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        return new ArchonPipeline(ArchonConfig.of(state.spec())).decide(state, event);
    }
}
