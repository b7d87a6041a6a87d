package dev.verigen.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchTreeTest {

    private static Map<String, Object> node(String id, int index, String outcome, Double score,
                                            List<Map<String, Object>> children) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("index", index);
        c.put("role", "GENERATE");
        c.put("complete", children.isEmpty());
        c.put("finishReason", "stop");
        c.put("completionTokens", 5);
        c.put("verdicts", outcome == null ? List.of() : List.of(Map.of("outcome", outcome)));
        c.put("scores", score == null ? List.of() : List.of(Map.of("scorer", "sim-prm:last", "value", score)));
        c.put("children", children);
        return c;
    }

    @Test
    void aThousandSamplesCollapseAroundTheSelectedAndTheBest() {
        List<Map<String, Object>> roots = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            roots.add(node("c" + i, i, i == 777 ? "PASS" : "FAIL", i / 1000.0, List.of()));
        }
        SearchTree.Layout layout = SearchTree.layout(roots, "c777");

        assertThat(layout.total()).isEqualTo(1000);
        assertThat(layout.shown()).isEqualTo(SearchTree.MAX_CHILDREN);
        assertThat(layout.hidden()).isEqualTo(1000 - SearchTree.MAX_CHILDREN);
        assertThat(layout.nodes()).filteredOn(SearchTree.Node::collapsed).singleElement()
                .satisfies(n -> assertThat(n.label()).isEqualTo("+976"));
        assertThat(layout.nodes()).filteredOn(n -> n.id().equals("c777")).singleElement()
                .satisfies(n -> assertThat(n.css()).contains("selected").contains("pass"));
        // after the selected and verified ones, the best scored are drawn
        assertThat(layout.nodes()).extracting(SearchTree.Node::id).contains("c999", "c980").doesNotContain("c0");
    }

    @Test
    void aSearchIsDrawnGenerationByGenerationWithTheSelectedPathMarked() {
        Map<String, Object> leaf = node("leaf", 3, "PASS", 0.9, List.of());
        Map<String, Object> mid = node("mid", 1, null, 0.7, List.of(leaf));
        Map<String, Object> other = node("other", 2, null, 0.2, List.of());
        SearchTree.Layout layout = SearchTree.layout(List.of(node("root", 0, null, 0.5, List.of(mid, other))), "leaf");

        Map<String, Integer> depth = new LinkedHashMap<>();
        layout.nodes().forEach(n -> depth.put(n.id(), n.depth()));
        assertThat(depth).containsEntry("run", 0).containsEntry("root", 1).containsEntry("mid", 2)
                .containsEntry("leaf", 3).containsEntry("other", 2);
        assertThat(layout.nodes()).filteredOn(n -> n.id().equals("mid")).singleElement()
                .satisfies(n -> assertThat(n.css()).contains("on-path").contains("step"));
        assertThat(layout.edges()).filteredOn(e -> e.css().contains("selected-path")).hasSize(3);
        assertThat(layout.hidden()).isZero();
    }

    @Test
    void particleWeightsAreASoftmaxWithinEachGeneration() {
        Map<String, Object> a = node("a", 0, null, 0.9, List.of());
        Map<String, Object> b = node("b", 1, null, 0.5, List.of());
        Map<String, Generations.Info> info = Generations.of(List.of(a, b),
                Map.of("strategy", "particle_filter", "options", Map.of("prm", "sim-prm:last")));
        double wa = info.get("a").weight();
        double wb = info.get("b").weight();
        assertThat(wa + wb).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // logit(0.9) = ln 9, logit(0.5) = 0: weights 9/10 and 1/10
        assertThat(wa).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Generations.of(List.of(a, b), Map.of("strategy", "beam_search")).get("a").weight()).isNull();
    }

    @Test
    void computeOptimalSpendIsAveragedPerDifficultyBin() {
        List<Map<String, Object>> items = List.of(Map.of("item", "hard", "pass1", 0.1),
                Map.of("item", "easy", "pass1", 0.9));
        List<Map<String, Object>> cells = List.of(Map.of("arm", "co", "item", "hard", "run", "r1"),
                Map.of("arm", "co", "item", "hard", "run", "r2"), Map.of("arm", "co", "item", "easy", "run", "r3"),
                Map.of("arm", "uniform", "item", "easy", "run", "r4"));
        Map<String, Object> chart = ExperimentCharts.spendPerBin(items, cells,
                Map.of("r1", 100L, "r2", 300L, "r3", 50L, "r4", 9999L), List.of("co"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> datasets = (List<Map<String, Object>>) ((Map<String, Object>) chart.get("data"))
                .get("datasets");
        assertThat(datasets).singleElement().satisfies(d -> assertThat((List<Object>) d.get("data"))
                .containsExactly(400.0, null, null, 50.0));
    }
}
