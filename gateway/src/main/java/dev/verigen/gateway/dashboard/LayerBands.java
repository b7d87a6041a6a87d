package dev.verigen.gateway.dashboard;

import dev.verigen.gateway.dashboard.SearchTree.Band;
import dev.verigen.gateway.dashboard.SearchTree.Edge;
import dev.verigen.gateway.dashboard.SearchTree.Layout;
import dev.verigen.gateway.dashboard.SearchTree.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays out an Archon run as its layers feeding each other: one horizontal band per layer, in the order they ran,
 * holding the candidates the layer's jobs produced (labelled {@code archon/L<position>/...}) and the ones it passed
 * on. Lineage alone cannot draw this: fused and ranked candidates have no parent, and a ranker's or verifier's output
 * is a choice among earlier candidates, known only from the trace's {@code layers}. So a candidate a layer passed on
 * without producing it is drawn again in that layer's band (a "carried" copy), and the next layer's edges leave from
 * there. Edges run from a layer's inputs (the earlier layers' outputs) to what it produced: from the one candidate a
 * per-candidate job (critic, judge) worked on, else from every input. The caps of {@link SearchTree} hold: at most
 * {@link #MAX_BAND} nodes a band (the rest one "+k" node), {@link SearchTree#MAX_NODES} in all, {@link #MAX_EDGES}
 * edges.
 */
final class LayerBands {

    static final int MAX_BAND = 48;
    static final int MAX_EDGES = 2000;
    static final int BAND = 84;
    static final int CAPTION = 18;
    static final int MIN_WIDTH = 360;

    private LayerBands() {
    }

    /** A band's members before placing: the candidates drawn (produced ones, then carried ones) and how many not. */
    private record Row(ArchonLayer layer, String caption, String title, List<Map<String, Object>> drawn,
                       Set<String> carried, int collapsed) {
    }

    static Layout layout(List<Map<String, Object>> roots, List<ArchonLayer> layers, String selectedId) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        flatten(roots, byId);
        List<Map<String, Object>> all = byId.values().stream().sorted(Comparator.comparingInt(LayerBands::index))
                .toList();
        Set<String> selectedPath = selectedId == null ? Set.of() : Set.of(selectedId);
        int[] budget = {SearchTree.MAX_NODES};
        List<Row> rows = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (ArchonLayer layer : layers) {
            List<Map<String, Object>> produced = all.stream()
                    .filter(c -> String.valueOf(c.get("label")).startsWith(layer.labelPrefix())).toList();
            placed.addAll(produced.stream().map(LayerBands::id).toList());
            Set<String> carried = new LinkedHashSet<>();
            for (String out : layer.outputs()) {
                if (byId.containsKey(out) && produced.stream().noneMatch(c -> out.equals(id(c)))) {
                    carried.add(out);
                }
            }
            List<Map<String, Object>> members = new ArrayList<>(produced);
            carried.forEach(id -> members.add(byId.get(id)));
            rows.add(row(layer, layer.caption(), title(layer, produced.size()), members, carried,
                    Set.copyOf(layer.outputs()), selectedId, budget));
        }
        // candidates no layer's label claims (none today) still get drawn, in a band of their own
        List<Map<String, Object>> others = all.stream().filter(c -> !placed.contains(id(c))).toList();
        if (!others.isEmpty()) {
            rows.add(row(null, "Other candidates", "candidates no layer's jobs produced", others, Set.of(), Set.of(),
                    selectedId, budget));
        }
        return place(rows, byId.size(), selectedId, selectedPath);
    }

    private static Row row(ArchonLayer layer, String caption, String title, List<Map<String, Object>> members,
                           Set<String> carried, Set<String> kept, String selectedId, int[] budget) {
        int room = Math.min(MAX_BAND, Math.max(0, budget[0]));
        List<Map<String, Object>> drawn = new ArrayList<>(members);
        if (drawn.size() > room) {
            // what the layer kept and the answer first, then verified, best scored; drawn in index order again
            drawn.sort(Comparator.comparingInt((Map<String, Object> c) -> kept.contains(id(c)) ? 0 : 1)
                    .thenComparingInt(c -> id(c).equals(selectedId) ? 0 : 1)
                    .thenComparingInt(c -> "PASS".equals(SearchTree.verdict(c)) ? 0 : 1)
                    .thenComparing(c -> -SearchTree.bestScore(c)));
            drawn = new ArrayList<>(drawn.subList(0, room));
            drawn.sort(Comparator.comparingInt((Map<String, Object> c) -> carried.contains(id(c)) ? 1 : 0)
                    .thenComparingInt(LayerBands::index));
        }
        budget[0] -= drawn.size();
        return new Row(layer, caption, title, drawn, carried, members.size() - drawn.size());
    }

    private static Layout place(List<Row> rows, int total, String selectedId, Set<String> selectedPath) {
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        List<Band> bands = new ArrayList<>();
        // per layer name, the node standing for each candidate it passed on; per band, its "+k" node
        Map<String, Map<String, Node>> outputs = new HashMap<>();
        Map<String, Node> anywhere = new HashMap<>();
        Map<String, Node> collapsedOf = new HashMap<>();
        Set<String> shown = new HashSet<>();
        Set<String> drawnEdges = new HashSet<>();
        int columns = 1;
        for (int b = 0; b < rows.size(); b++) {
            Row row = rows.get(b);
            int top = SearchTree.MARGIN + b * BAND;
            int y = top + CAPTION + (BAND - CAPTION) / 2 - 4;
            Set<String> kept = row.layer() == null ? Set.of() : Set.copyOf(row.layer().outputs());
            List<Node> band = new ArrayList<>();
            for (Map<String, Object> c : row.drawn()) {
                String id = id(c);
                boolean carried = row.carried().contains(id);
                String css = SearchTree.css(c, selectedId, selectedPath) + (kept.contains(id) ? " kept" : "")
                             + (carried ? " carried" : "");
                String title = SearchTree.title(c, selectedId)
                               + (carried ? ", passed on from an earlier layer" : "")
                               + (kept.contains(id) ? ", kept as the layer's output" : "");
                band.add(new Node(id, x(band.size()), y, String.valueOf(c.get("index")), css, title, false, c, b));
                shown.add(id);
            }
            if (row.collapsed() > 0) {
                Node more = new Node("more-" + b, x(band.size()), y, "+" + row.collapsed(), "node collapsed",
                        row.collapsed() + " more candidates of this layer not drawn (see the list below, or the "
                        + "trace API)", true, null, b);
                band.add(more);
                collapsedOf.put(row.layer() == null ? "" : row.layer().name(), more);
            }
            if (row.layer() != null) {
                feed(row, band, outputs, anywhere, collapsedOf, edges, drawnEdges, selectedId);
                Map<String, Node> out = new HashMap<>();
                for (Node n : band) {
                    if (n.candidate() != null && kept.contains(n.id())) {
                        out.put(n.id(), n);
                    }
                }
                outputs.put(row.layer().name(), out);
            }
            for (Node n : band) {
                if (n.candidate() != null) {
                    anywhere.putIfAbsent(n.id(), n);
                }
            }
            nodes.addAll(band);
            columns = Math.max(columns, band.size());
            bands.add(new Band(SearchTree.MARGIN / 2, top, 0, BAND - 6, row.caption(), row.title()));
        }
        int width = Math.max(MIN_WIDTH, columns * SearchTree.COLUMN + 2 * SearchTree.MARGIN);
        List<Band> sized = bands.stream().map(band -> new Band(band.x(), band.y(), width - SearchTree.MARGIN,
                band.height(), band.caption(), band.title())).toList();
        int height = rows.size() * BAND + 2 * SearchTree.MARGIN;
        return new Layout(nodes, edges, sized, width, height, total, shown.size(), Math.max(0, total - shown.size()));
    }

    /** Edges into one layer's band: from the nodes standing for its inputs to what it produced or passed on. */
    private static void feed(Row row, List<Node> band, Map<String, Map<String, Node>> outputs,
                             Map<String, Node> anywhere, Map<String, Node> collapsedOf, List<Edge> edges,
                             Set<String> drawnEdges, String selectedId) {
        Map<String, Node> sources = new LinkedHashMap<>();
        for (String input : row.layer().inputs()) {
            Node source = null;
            for (String from : row.layer().from()) {
                source = source != null ? source : outputs.getOrDefault(from, Map.of()).get(input);
            }
            source = source != null ? source : anywhere.get(input);
            if (source == null) {
                // drawn nowhere: its layer's "+k" node stands for it
                source = row.layer().from().stream().map(collapsedOf::get).filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null);
            }
            if (source != null) {
                sources.put(input, source);
            }
        }
        for (Node target : band) {
            if (target.candidate() == null) {
                continue;
            }
            String parent = target.candidate().get("parentId") == null ? null
                    : target.candidate().get("parentId").toString();
            List<Node> from;
            if (row.carried().contains(target.id())) {
                from = sources.containsKey(target.id()) ? List.of(sources.get(target.id())) : List.of();
            } else if (parent != null && sources.containsKey(parent)) {
                from = List.of(sources.get(parent));
            } else {
                from = List.copyOf(new LinkedHashSet<>(sources.values()));
            }
            for (Node source : from) {
                if (edges.size() >= MAX_EDGES || !drawnEdges.add(source.x() + "," + source.y() + ">" + target.id())) {
                    continue;
                }
                String css = row.carried().contains(target.id()) ? "edge carried" : "edge feeds";
                if (target.id().equals(selectedId)) {
                    css += " selected-path";
                }
                edges.add(new Edge(source.x(), source.y(), target.x(), target.y(), css));
            }
        }
    }

    private static String title(ArchonLayer layer, int produced) {
        return layer.caption() + ": " + layer.inputs().size() + " candidates in"
               + (layer.from().isEmpty() ? "" : " from " + String.join(", ", layer.from()))
               + ", " + produced + " produced, " + layer.outputs().size() + " passed on";
    }

    private static int x(int column) {
        return SearchTree.MARGIN + column * SearchTree.COLUMN + SearchTree.COLUMN / 2;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(List<Map<String, Object>> nodes, Map<String, Map<String, Object>> into) {
        for (Map<String, Object> c : nodes) {
            into.put(id(c), c);
            Object kids = c.get("children");
            if (kids instanceof List<?> l) {
                flatten((List<Map<String, Object>>) l, into);
            }
        }
    }

    private static String id(Map<String, Object> c) {
        return String.valueOf(c.get("id"));
    }

    private static int index(Map<String, Object> c) {
        return c.get("index") instanceof Number n ? n.intValue() : 0;
    }
}
