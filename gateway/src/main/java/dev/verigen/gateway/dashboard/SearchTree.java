package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Lays out a run's candidate tree (the trace's {@code candidates}: fresh samples at the top, continuations,
 * refinements and critiques under what they work from) for drawing as SVG on the server. Stays readable and fast for
 * runs of thousands of candidates: each node shows at most {@link #MAX_CHILDREN} children (the selected path first,
 * then the best scored and verified) and the rest collapse into one "+k more" node; the whole drawing stops at
 * {@link #MAX_NODES} nodes, counted as hidden. A tidy layout: leaves take consecutive columns, a parent sits above the
 * middle of its children.
 */
public final class SearchTree {

    static final int MAX_CHILDREN = 24;
    static final int MAX_NODES = 400;
    static final int COLUMN = 34;
    static final int ROW = 64;
    static final int MARGIN = 24;

    /**
     * A drawn node. {@code css} says how it is drawn (verdict, selected, partial, collapsed); {@code label} is the
     * short text inside (its index, or "+k"); {@code title} the tooltip and accessible name.
     */
    public record Node(String id, int x, int y, String label, String css, String title, boolean collapsed,
                       Map<String, Object> candidate, int depth) {
    }

    public record Edge(int x1, int y1, int x2, int y2, String css) {
    }

    /**
     * A captioned horizontal band behind a row of nodes (an Archon layer); {@code title} is its accessible name.
     */
    public record Band(int x, int y, int width, int height, String caption, String title) {
    }

    /** {@code bands} is empty for a tree drawn from lineage alone. */
    public record Layout(List<Node> nodes, List<Edge> edges, List<Band> bands, int width, int height, int total,
                         int shown, int hidden) {
    }

    private SearchTree() {
    }

    private static final class Box {
        final Map<String, Object> candidate; // null for the root and for collapsed groups
        final int collapsedCount;
        final List<Box> children = new ArrayList<>();
        int x;
        int depth;

        Box(Map<String, Object> candidate, int collapsedCount) {
            this.candidate = candidate;
            this.collapsedCount = collapsedCount;
        }
    }

    @SuppressWarnings("unchecked")
    public static Layout layout(List<Map<String, Object>> roots, String selectedId) {
        Set<String> selectedPath = new HashSet<>();
        int total = count(roots);
        pathTo(roots, selectedId, selectedPath);
        Box root = new Box(null, 0);
        int[] budget = {MAX_NODES};
        attach(root, roots, selectedPath, budget);
        int[] column = {0};
        place(root, 0, column);
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        int[] shown = {0};
        draw(root, selectedId, selectedPath, nodes, edges, shown);
        int maxDepth = nodes.stream().mapToInt(Node::depth).max().orElse(0);
        int width = Math.max(column[0], 1) * COLUMN + 2 * MARGIN;
        int height = (maxDepth + 1) * ROW + 2 * MARGIN;
        return new Layout(nodes, edges, List.of(), width, height, total, shown[0], Math.max(0, total - shown[0]));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> c) {
        Object kids = c.get("children");
        return kids instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static int count(List<Map<String, Object>> nodes) {
        int n = 0;
        for (Map<String, Object> c : nodes) {
            n += 1 + count(children(c));
        }
        return n;
    }

    private static boolean pathTo(List<Map<String, Object>> nodes, String id, Set<String> path) {
        if (id == null) {
            return false;
        }
        for (Map<String, Object> c : nodes) {
            if (id.equals(c.get("id")) || pathTo(children(c), id, path)) {
                path.add((String) c.get("id"));
                return true;
            }
        }
        return false;
    }

    private static void attach(Box parent, List<Map<String, Object>> kids, Set<String> selectedPath, int[] budget) {
        List<Map<String, Object>> ordered = new ArrayList<>(kids);
        boolean trimmed = kids.size() > MAX_CHILDREN;
        if (trimmed) {
            // the interesting ones first: on the selected path, verified, best scored; then as created
            ordered.sort(Comparator.comparingInt((Map<String, Object> c) -> selectedPath.contains(c.get("id")) ? 0 : 1)
                    .thenComparingInt(c -> "PASS".equals(verdict(c)) ? 0 : 1)
                    .thenComparing(c -> -bestScore(c)));
        }
        int limit = Math.min(MAX_CHILDREN, ordered.size());
        List<Map<String, Object>> kept = new ArrayList<>(ordered.subList(0, limit));
        if (trimmed) {
            // drawn in creation order again, so generations read left to right
            kept.sort(Comparator.comparingInt(c -> ((Number) c.getOrDefault("index", 0)).intValue()));
        }
        int skipped = ordered.size() - limit;
        for (Map<String, Object> c : kept) {
            if (budget[0] <= 0) {
                skipped++;
                continue;
            }
            budget[0]--;
            Box box = new Box(c, 0);
            parent.children.add(box);
            attach(box, children(c), selectedPath, budget);
        }
        if (skipped > 0) {
            parent.children.add(new Box(null, skipped));
        }
    }

    private static void place(Box box, int depth, int[] column) {
        box.depth = depth;
        if (box.children.isEmpty()) {
            box.x = column[0]++;
            return;
        }
        for (Box child : box.children) {
            place(child, depth + 1, column);
        }
        box.x = (box.children.getFirst().x + box.children.getLast().x) / 2;
    }

    private static int px(Box b) {
        return MARGIN + b.x * COLUMN + COLUMN / 2;
    }

    private static int py(Box b) {
        return MARGIN + b.depth * ROW + 12;
    }

    private static void draw(Box box, String selectedId, Set<String> selectedPath, List<Node> nodes, List<Edge> edges,
                             int[] shown) {
        for (Box child : box.children) {
            String id = child.candidate == null ? null : (String) child.candidate.get("id");
            edges.add(new Edge(px(box), py(box), px(child), py(child),
                    id != null && selectedPath.contains(id) ? "edge selected-path" : "edge"));
            draw(child, selectedId, selectedPath, nodes, edges, shown);
        }
        if (box.candidate == null && box.collapsedCount == 0) {
            nodes.add(new Node("run", px(box), py(box), "run", "node root", "the run", false, null, box.depth));
            return;
        }
        if (box.candidate == null) {
            nodes.add(new Node("more-" + nodes.size(), px(box), py(box), "+" + box.collapsedCount, "node collapsed",
                    box.collapsedCount + " more candidates not drawn (see the list below, or the trace API)", true,
                    null, box.depth));
            return;
        }
        shown[0]++;
        Map<String, Object> c = box.candidate;
        String id = (String) c.get("id");
        nodes.add(new Node(id, px(box), py(box), String.valueOf(c.get("index")), css(c, selectedId, selectedPath),
                title(c, selectedId), false, c, box.depth));
    }

    /** How a candidate's node is drawn: its verdict, whether it is selected or on the way there, what kind it is. */
    static String css(Map<String, Object> c, String selectedId, Set<String> selectedPath) {
        String id = (String) c.get("id");
        String verdict = verdict(c);
        StringBuilder css = new StringBuilder("node");
        css.append(verdict == null ? " unverified" : " " + verdict.toLowerCase(java.util.Locale.ROOT));
        if (id.equals(selectedId)) {
            css.append(" selected");
        } else if (selectedPath.contains(id)) {
            css.append(" on-path");
        }
        if ("partial".equals(c.get("finishReason"))) {
            css.append(" partial"); // a snapshot of a sample still being generated
        } else if (!Boolean.TRUE.equals(c.get("complete"))) {
            css.append(" step"); // a partial solution a step-wise search continues
        }
        if (!"GENERATE".equals(Objects.toString(c.get("role"), "GENERATE"))) {
            css.append(" role");
        }
        return css.toString();
    }

    /** A candidate node's tooltip and accessible name. */
    static String title(Map<String, Object> c, String selectedId) {
        String verdict = verdict(c);
        String role = Objects.toString(c.get("role"), "GENERATE");
        Double score = bestScore(c) == Double.NEGATIVE_INFINITY ? null : bestScore(c);
        return "#" + c.get("index") + " " + role.toLowerCase(java.util.Locale.ROOT)
               + (blank(c.get("label")) ? "" : " " + c.get("label"))
               + (verdict == null ? "" : ", verdict " + verdict)
               + (score == null ? "" : ", score " + String.format(java.util.Locale.ROOT, "%.3f", score))
               + ", " + c.get("completionTokens") + " tokens"
               + (c.get("id").equals(selectedId) ? ", SELECTED" : "");
    }

    private static boolean blank(Object o) {
        return o == null || o.toString().isBlank();
    }

    @SuppressWarnings("unchecked")
    static String verdict(Map<String, Object> c) {
        Object v = c.get("verdicts");
        if (v instanceof List<?> l && !l.isEmpty() && l.getFirst() instanceof Map<?, ?> m) {
            return Objects.toString(m.get("outcome"), null);
        }
        return null;
    }

    static double bestScore(Map<String, Object> c) {
        Object s = c.get("scores");
        double best = Double.NEGATIVE_INFINITY;
        if (s instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && m.get("value") instanceof Number n) {
                    best = Math.max(best, n.doubleValue());
                }
            }
        }
        return best;
    }

    /**
     * Every drawn candidate once, in index order, for the node list under the drawing (a layered drawing may show a
     * candidate in several bands).
     */
    public static List<Map<String, Object>> listed(Layout layout) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Node n : layout.nodes()) {
            if (n.candidate() != null) {
                byId.putIfAbsent(n.id(), n.candidate());
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparingInt(c -> ((Number) c.getOrDefault("index", 0)).intValue()));
        return out;
    }
}
