package dev.verigen.orchestrator.strategies.archon;

import dev.verigen.orchestrator.web.JsonFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How layers feed each other. A layer takes the previous layer's output unless it names its inputs
 * ({@code "from"}); named inputs may point anywhere, so the graph is checked for unknown names and cycles, and the
 * layers run in a topological order that keeps the written order wherever it can. The data flow is checked along
 * that order: candidates must exist before anything works on them, generators only start a pipeline, and unit
 * tests must be written before they are evaluated.
 */
final class LayerGraph {

    private final List<WrittenLayer> layers;
    private final JsonFields fields;
    private final List<List<Integer>> inputs = new ArrayList<>();

    LayerGraph(List<WrittenLayer> layers, JsonFields fields) {
        this.layers = layers;
        this.fields = fields;
    }

    /** @return the execution order (indexes into the written layers), or null when the references are broken */
    List<Integer> order() {
        if (!resolve()) {
            return null;
        }
        if (!acyclic()) {
            return null;
        }
        List<Integer> order = new ArrayList<>();
        int[] waiting = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            waiting[i] = inputs.get(i).size();
        }
        boolean[] done = new boolean[layers.size()];
        while (order.size() < layers.size()) {
            // the earliest written layer whose inputs have all run: the written order wins wherever it can
            int next = -1;
            for (int i = 0; i < layers.size() && next < 0; i++) {
                if (!done[i] && waiting[i] == 0) {
                    next = i;
                }
            }
            done[next] = true;
            order.add(next);
            for (int i = 0; i < layers.size(); i++) {
                waiting[i] -= (int) inputs.get(i).stream().filter(s -> s == order.getLast()).count();
            }
        }
        return order;
    }

    List<Integer> inputs(int layer) {
        return inputs.get(layer);
    }

    /** Checks the data flow along {@code order}; @return whether the last layer yields candidates */
    boolean checkFlow(List<Integer> order, String pipelinePath) {
        boolean[] carries = new boolean[layers.size()];
        boolean tests = false;
        boolean ok = true;
        for (int i : order) {
            WrittenLayer layer = layers.get(i);
            ComponentType type = layer.type();
            boolean fed = inputs.get(i).stream().anyMatch(s -> carries[s]);
            if (type.consumesCandidates() && !fed) {
                fields.reject(layer.typePath(), "a " + type.configName() + " works on candidates, but no generator "
                        + "layer comes before it");
                ok = false;
            }
            if (type == ComponentType.GENERATOR && fed) {
                fields.reject(layer.typePath(), "a generator layer starts the pipeline and cannot take candidates "
                        + "(Archon runs generators on an empty input); build on candidates with a fuser");
                ok = false;
            }
            if (type == ComponentType.UNIT_TEST_EVALUATOR && !tests) {
                fields.reject(layer.typePath(), "a unit_test_evaluator needs the tests of an earlier "
                        + "unit_test_generator layer");
                ok = false;
            }
            tests |= type == ComponentType.UNIT_TEST_GENERATOR;
            carries[i] = type == ComponentType.UNIT_TEST_GENERATOR ? fed : true;
        }
        if (ok && !carries[order.getLast()]) {
            fields.reject(pipelinePath, "the pipeline produces no candidates: it needs a generator layer");
            ok = false;
        }
        return ok;
    }

    private boolean resolve() {
        Map<String, Integer> byName = new HashMap<>();
        boolean ok = true;
        for (WrittenLayer layer : layers) {
            Integer taken = byName.putIfAbsent(layer.name(), layer.index());
            if (taken != null) {
                fields.reject(layer.named() ? layer.namePath() : layers.get(taken).namePath(), "duplicate layer name '"
                        + layer.name() + "' (unnamed layers are called layer-<index>)");
                ok = false;
            }
        }
        for (WrittenLayer layer : layers) {
            List<Integer> sources = new ArrayList<>();
            if (layer.from() == null) {
                if (layer.index() > 0) {
                    sources.add(layer.index() - 1);
                }
            } else {
                for (String name : layer.from()) {
                    Integer source = byName.get(name);
                    if (source == null) {
                        fields.reject(layer.fromPath(), "unknown layer '" + name + "'; layers: "
                                + new TreeSet<>(byName.keySet()));
                        ok = false;
                    } else if (!sources.contains(source)) {
                        sources.add(source);
                    }
                }
            }
            inputs.add(sources);
        }
        return ok;
    }

    private boolean acyclic() {
        int[] color = new int[layers.size()]; // 0 unseen, 1 on the path, 2 finished
        for (int i = 0; i < layers.size(); i++) {
            if (color[i] == 0 && !visit(i, color, new ArrayList<>())) {
                return false;
            }
        }
        return true;
    }

    private boolean visit(int layer, int[] color, List<Integer> path) {
        color[layer] = 1;
        path.add(layer);
        for (int source : inputs.get(layer)) {
            if (color[source] == 1) {
                // the path runs against the data: reversed, it reads in the direction candidates flow
                List<Integer> cycle = new ArrayList<>(path.subList(path.indexOf(source), path.size()));
                cycle.add(source);
                java.util.Collections.reverse(cycle);
                StringBuilder names = new StringBuilder();
                for (int k = 0; k < cycle.size(); k++) {
                    names.append(k == 0 ? "" : " -> ").append(layers.get(cycle.get(k)).name());
                }
                // only named inputs can close a cycle (a layer's default input is the one written before it)
                WrittenLayer at = cycle.stream().map(layers::get).filter(l -> l.from() != null).findFirst()
                        .orElse(layers.get(layer));
                fields.reject(at.fromPath(), "cycle in layer references: " + names);
                return false;
            }
            if (color[source] == 0 && !visit(source, color, path)) {
                return false;
            }
        }
        path.removeLast();
        color[layer] = 2;
        return true;
    }
}
