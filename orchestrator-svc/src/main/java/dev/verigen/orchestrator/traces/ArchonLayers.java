package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.archon.ArchonConfig;
import dev.verigen.orchestrator.strategies.archon.ArchonMemo;
import dev.verigen.orchestrator.traces.TraceView.LayerNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An Archon run's layers for its trace, read from the stored spec (the normalised config) and the strategy's memo.
 * The memo is the only record of which candidates a layer kept: a ranker's choice or a fuser's output cannot be told
 * from the candidates' lineage.
 */
final class ArchonLayers {

    private ArchonLayers() {
    }

    static List<LayerNode> of(PipelineSpec spec, Map<String, Object> memo) {
        if (!Archon.NAME.equals(spec.strategy())) {
            return List.of();
        }
        ArchonConfig config = ArchonConfig.of(spec);
        ArchonMemo m = memo == null ? ArchonMemo.start() : Json.convert(memo, ArchonMemo.class);
        List<LayerNode> layers = new ArrayList<>();
        for (int i = 0; i < config.layers().size(); i++) {
            ArchonConfig.Layer layer = config.layers().get(i);
            List<UUID> outputs = m.outputs().get(layer.name());
            String status = outputs != null ? "DONE" : m.layer() == i && !m.finalizing() ? "RUNNING" : "PENDING";
            layers.add(new LayerNode(i, layer.name(), layer.type().configName(), layer.components().size(),
                    layer.from(), status, "PENDING".equals(status) ? List.of() : inputs(layer, m),
                    outputs == null ? List.of() : outputs));
        }
        return layers;
    }

    // as ArchonPipeline hands a layer its input: the union of its sources' outputs, in order
    private static List<UUID> inputs(ArchonConfig.Layer layer, ArchonMemo memo) {
        Set<UUID> union = new LinkedHashSet<>();
        for (String source : layer.from()) {
            union.addAll(memo.outputs().getOrDefault(source, List.of()));
        }
        return List.copyOf(union);
    }
}
