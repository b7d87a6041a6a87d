package dev.verigen.gateway.dashboard;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the trace's {@code layers} (an Archon run): what the layer received and what it passed on. Its own
 * jobs' candidates are labelled {@code archon/L<position>/...}.
 */
record ArchonLayer(int position, String name, String type, int components, List<String> from, String status,
                   List<String> inputs, List<String> outputs) {

    /** The trace's layers in the order they ran; empty when the trace has none (any strategy but archon). */
    static List<ArchonLayer> of(Object layers) {
        if (!(layers instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(m -> of((Map<?, ?>) m))
                .sorted(Comparator.comparingInt(ArchonLayer::position)).toList();
    }

    private static ArchonLayer of(Map<?, ?> m) {
        return new ArchonLayer(m.get("position") instanceof Number n ? n.intValue() : 0,
                Objects.toString(m.get("name"), ""), Objects.toString(m.get("type"), "layer"),
                m.get("components") instanceof Number n ? n.intValue() : 1, strings(m.get("from")),
                Objects.toString(m.get("status"), "PENDING"), strings(m.get("inputs")), strings(m.get("outputs")));
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().filter(Objects::nonNull).map(Object::toString).toList() : List.of();
    }

    /** The label prefix of the layer's own jobs' candidates. */
    String labelPrefix() {
        return "archon/L" + position + "/";
    }

    /**
     * "Layer 2 · fuser", "Layer 0 · generator ×2"; the name when the user gave one (unnamed layers are called
     * {@code layer-<index>}, a split Archon layer's parts {@code layer-<index>-b}...) and a layer not yet settled.
     */
    String caption() {
        return "Layer " + position + " · " + type + (components > 1 ? " ×" + components : "")
               + (name.isEmpty() || name.matches("layer-\\d+(-[a-z])?") ? "" : " “" + name + "”")
               + ("DONE".equals(status) ? "" : " (" + status.toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
