package dev.verigen.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.gateway.dashboard.SearchTree.Edge;
import dev.verigen.gateway.dashboard.SearchTree.Layout;
import dev.verigen.gateway.dashboard.SearchTree.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An Archon run drawn as layers feeding each other, from the trace's candidates and {@code layers}. */
class LayerBandsTest {

    private static Map<String, Object> candidate(String id, int index, String label, String role, String parent,
                                                 List<Map<String, Object>> children) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("index", index);
        c.put("label", label);
        c.put("role", role);
        c.put("parentId", parent);
        c.put("complete", true);
        c.put("finishReason", "stop");
        c.put("completionTokens", 3);
        c.put("verdicts", List.of());
        c.put("scores", List.of());
        c.put("children", children);
        return c;
    }

    private static Map<String, Object> layer(int position, String name, String type, List<String> from,
                                             List<String> inputs, List<String> outputs) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("position", position);
        l.put("name", name);
        l.put("type", type);
        l.put("components", 1);
        l.put("from", from);
        l.put("status", "DONE");
        l.put("inputs", inputs);
        l.put("outputs", outputs);
        return l;
    }

    /**
     * generate a, b, c; rank (r) keeps c, a; critique them (kc under c, ka under a); fuse them into f, the answer.
     * The trace nests the critiques under what they judge, and lists the layers out of order.
     */
    private static Layout rankCritiqueFuse() {
        Map<String, Object> kc = candidate("kc", 4, "archon/L2/critic/0", "CRITIQUE", "c", List.of());
        Map<String, Object> ka = candidate("ka", 5, "archon/L2/critic/1", "CRITIQUE", "a", List.of());
        List<Map<String, Object>> roots = List.of(
                candidate("a", 0, "archon/L0/gen/0", "GENERATE", null, List.of(ka)),
                candidate("b", 1, "archon/L0/gen/0", "GENERATE", null, List.of()),
                candidate("c", 2, "archon/L0/gen/0", "GENERATE", null, List.of(kc)),
                candidate("r", 3, "archon/L1/rank", "RANK", null, List.of()),
                candidate("f", 6, "archon/L3/fuse/0", "FUSE", null, List.of()));
        List<ArchonLayer> layers = ArchonLayer.of(List.of(
                layer(3, "layer-3", "fuser", List.of("layer-2"), List.of("c", "a"), List.of("f")),
                layer(0, "layer-0", "generator", List.of(), List.of(), List.of("a", "b", "c")),
                layer(2, "layer-2", "critic", List.of("layer-1"), List.of("c", "a"), List.of("c", "a")),
                layer(1, "layer-1", "ranker", List.of("layer-0"), List.of("a", "b", "c"), List.of("c", "a"))));
        return LayerBands.layout(roots, layers, "f");
    }

    private static List<Node> band(Layout layout, int band) {
        return layout.nodes().stream().filter(n -> n.depth() == band).toList();
    }

    private static Node node(Layout layout, int band, String id) {
        return band(layout, band).stream().filter(n -> id.equals(n.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + id + " in band " + band));
    }

    /** The ids of the nodes edges into {@code target} leave from, as "band:id". */
    private static List<String> into(Layout layout, Node target) {
        List<String> sources = new ArrayList<>();
        for (Edge e : layout.edges()) {
            if (e.x2() == target.x() && e.y2() == target.y()) {
                layout.nodes().stream().filter(n -> n.x() == e.x1() && n.y() == e.y1())
                        .forEach(n -> sources.add(n.depth() + ":" + n.id()));
            }
        }
        return sources;
    }

    @Test
    void layersAreBandsInTheOrderTheyRanCaptionedWithPositionAndType() {
        Layout layout = rankCritiqueFuse();

        assertThat(layout.bands()).extracting(SearchTree.Band::caption).containsExactly("Layer 0 · generator",
                "Layer 1 · ranker", "Layer 2 · critic", "Layer 3 · fuser");
        assertThat(layout.bands()).extracting(SearchTree.Band::y).isSorted().doesNotHaveDuplicates();
        assertThat(layout.bands().get(1).title()).contains("3 candidates in from layer-0").contains("2 passed on");
        assertThat(band(layout, 0)).extracting(Node::id).containsExactly("a", "b", "c");
        // a layer's band holds what its jobs produced, then the earlier candidates it passed on
        assertThat(band(layout, 1)).extracting(Node::id).containsExactly("r", "c", "a");
        assertThat(band(layout, 2)).extracting(Node::id).containsExactly("kc", "ka", "c", "a");
        assertThat(band(layout, 3)).extracting(Node::id).containsExactly("f");
        for (int b = 1; b < 4; b++) {
            assertThat(band(layout, b).getFirst().y()).isGreaterThan(band(layout, b - 1).getFirst().y());
            assertThat(band(layout, b).getFirst().y()).isBetween(layout.bands().get(b).y(),
                    layout.bands().get(b).y() + layout.bands().get(b).height());
        }
        assertThat(layout.total()).isEqualTo(7);
        assertThat(layout.shown()).isEqualTo(7);
        assertThat(layout.hidden()).isZero();
        assertThat(SearchTree.listed(layout)).extracting(c -> c.get("id"))
                .as("each candidate listed once, though drawn in several bands")
                .containsExactly("a", "b", "c", "r", "kc", "ka", "f");
    }

    @Test
    void edgesRunFromALayersInputsTheEarlierLayersOutputsToWhatItProduced() {
        Layout layout = rankCritiqueFuse();

        // the ranker reads every generated candidate; what it keeps is carried down from where it was made
        assertThat(into(layout, node(layout, 1, "r"))).containsExactlyInAnyOrder("0:a", "0:b", "0:c");
        assertThat(into(layout, node(layout, 1, "c"))).containsExactly("0:c");
        // a critique comes from the one candidate it judges, as the ranker passed it on
        assertThat(into(layout, node(layout, 2, "kc"))).containsExactly("1:c");
        assertThat(into(layout, node(layout, 2, "ka"))).containsExactly("1:a");
        // the fuser, which has no parent, is fed by the critic layer's output, not by the first generation
        assertThat(into(layout, node(layout, 3, "f"))).containsExactlyInAnyOrder("2:c", "2:a");
        assertThat(layout.edges()).filteredOn(e -> e.css().contains("carried")).hasSize(4);
        assertThat(layout.edges()).filteredOn(e -> e.css().contains("selected-path")).hasSize(2);
        assertThat(layout.edges()).allSatisfy(e -> assertThat(e.y2()).isGreaterThan(e.y1()));
    }

    @Test
    void whatALayerKeptIsMarked() {
        Layout layout = rankCritiqueFuse();

        assertThat(band(layout, 0)).allSatisfy(n -> assertThat(n.css()).contains("kept").doesNotContain("carried"));
        assertThat(node(layout, 1, "r").css()).doesNotContain("kept");
        assertThat(node(layout, 1, "c").css()).contains("kept").contains("carried");
        assertThat(node(layout, 1, "c").title()).contains("passed on from an earlier layer")
                .contains("kept as the layer's output");
        assertThat(node(layout, 2, "kc").css()).doesNotContain("kept");
        assertThat(node(layout, 3, "f").css()).contains("kept").contains("selected").doesNotContain("carried");
    }

    @Test
    void aWideLayerCollapsesKeepingWhatItPassedOnAndTheNextLayerStillHasItsInputs() {
        List<Map<String, Object>> roots = new ArrayList<>();
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            roots.add(candidate("g" + i, i, "archon/L0/gen/0", "GENERATE", null, List.of()));
            generated.add("g" + i);
        }
        roots.add(candidate("r", 1000, "archon/L1/rank", "RANK", null, List.of()));
        List<String> top = List.of("g999", "g500", "g3");
        List<ArchonLayer> layers = ArchonLayer.of(List.of(
                layer(0, "draft", "generator", List.of(), List.of(), top),
                layer(1, "pick", "ranker", List.of("draft"), generated, top)));

        Layout layout = LayerBands.layout(roots, layers, "g500");

        assertThat(layout.bands().getFirst().caption()).isEqualTo("Layer 0 · generator “draft”");
        assertThat(band(layout, 0)).hasSize(LayerBands.MAX_BAND + 1);
        assertThat(band(layout, 0)).extracting(Node::id).contains("g999", "g500", "g3").doesNotContain("g900");
        assertThat(band(layout, 0).getLast().label()).isEqualTo("+" + (1000 - LayerBands.MAX_BAND));
        assertThat(layout.total()).isEqualTo(1001);
        assertThat(layout.hidden()).isEqualTo(1000 - LayerBands.MAX_BAND);
        // every drawn input feeds the ranker, and those not drawn reach it through their layer's "+k" node
        assertThat(into(layout, node(layout, 1, "r"))).hasSize(LayerBands.MAX_BAND + 1).contains("0:more-0", "0:g3");
        assertThat(layout.nodes()).hasSizeLessThanOrEqualTo(SearchTree.MAX_NODES + 4);
        assertThat(layout.edges()).hasSizeLessThanOrEqualTo(LayerBands.MAX_EDGES);
    }

    @Test
    void theNodeCapHoldsAcrossLayers() {
        List<Map<String, Object>> roots = new ArrayList<>();
        List<Map<String, Object>> specs = new ArrayList<>();
        int index = 0;
        for (int p = 0; p < 16; p++) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                roots.add(candidate("c" + index, index, "archon/L" + p + "/fuse/0", "FUSE", null, List.of()));
                out.add("c" + index++);
            }
            specs.add(layer(p, "layer-" + p, p == 0 ? "generator" : "fuser", p == 0 ? List.of() : List.of("layer-" + (p - 1)),
                    p == 0 ? List.of() : List.of(), out));
        }
        Layout layout = LayerBands.layout(roots, ArchonLayer.of(specs), null);

        assertThat(layout.shown()).isEqualTo(SearchTree.MAX_NODES);
        assertThat(layout.hidden()).isEqualTo(16 * 60 - SearchTree.MAX_NODES);
        assertThat(layout.bands()).hasSize(16);
        assertThat(band(layout, 15)).singleElement().satisfies(n -> assertThat(n.collapsed()).isTrue());
    }

    @Test
    void aTraceWithoutLayersIsNoArchonRun() {
        assertThat(ArchonLayer.of(null)).isEmpty();
        assertThat(ArchonLayer.of(List.of())).isEmpty();
        assertThat(SearchTree.layout(List.of(candidate("a", 0, "", "GENERATE", null, List.of())), "a").bands())
                .isEmpty();
    }
}
