package dev.verigen.orchestrator.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.archon.ArchonMemo;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import dev.verigen.orchestrator.traces.TraceView.LayerNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An Archon run's layers in its trace: what each layer received and passed on, read from the stored memo. */
class ArchonLayersTest {

    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();
    private final UUID c = UUID.randomUUID();
    private final UUID fused = UUID.randomUUID();
    private final PipelineSpec spec = Fixtures.validated(new Archon(),
            Fixtures.spec("archon", "sim-math", 1, null, null, 256, 1), """
                    {"layers": [[{"type": "generator", "samples": 2}, {"type": "generator", "pool": "sim-small"}],
                                [{"type": "ranker", "topK": 2}], [{"type": "fuser"}]]}""");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stored(ArchonMemo memo) {
        return Json.convert(memo, Map.class);
    }

    @Test
    void doneLayersShowTheirSourcesOutputAsInputAndWhatTheyKept() {
        Map<String, List<UUID>> outputs = new LinkedHashMap<>();
        outputs.put("layer-0", List.of(a, b, c));
        outputs.put("layer-1", List.of(c, a));
        ArchonMemo memo = new ArchonMemo(2, false, List.of(c, a), outputs, List.of());

        List<LayerNode> layers = ArchonLayers.of(spec, stored(memo));

        assertThat(layers).extracting(LayerNode::position).containsExactly(0, 1, 2);
        assertThat(layers).extracting(LayerNode::type).containsExactly("generator", "ranker", "fuser");
        assertThat(layers).extracting(LayerNode::status).containsExactly("DONE", "DONE", "RUNNING");
        assertThat(layers.get(0).components()).isEqualTo(2);
        assertThat(layers.get(0).inputs()).isEmpty();
        assertThat(layers.get(0).outputs()).containsExactly(a, b, c);
        assertThat(layers.get(1).from()).containsExactly("layer-0");
        assertThat(layers.get(1).inputs()).containsExactly(a, b, c);
        assertThat(layers.get(1).outputs()).containsExactly(c, a);
        assertThat(layers.get(2).inputs()).containsExactly(c, a);
        assertThat(layers.get(2).outputs()).isEmpty();

        outputs.put("layer-2", List.of(fused));
        List<LayerNode> finished = ArchonLayers.of(spec, stored(new ArchonMemo(2, true, List.of(), outputs,
                List.of())));
        assertThat(finished).extracting(LayerNode::status).containsOnly("DONE");
        assertThat(finished.get(2).outputs()).containsExactly(fused);
    }

    @Test
    void beforeTheFirstDecisionEveryLayerIsPendingAndOtherStrategiesHaveNoLayers() {
        assertThat(ArchonLayers.of(spec, null)).extracting(LayerNode::status).containsOnly("PENDING");
        assertThat(ArchonLayers.of(spec, null)).allSatisfy(l -> assertThat(l.inputs()).isEmpty());
        assertThat(ArchonLayers.of(Fixtures.spec("best_of_n", "sim-math", 4, null, null, 64, 1),
                Map.of("anything", 1))).isEmpty();
    }
}
