package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a step-wise search did with each node, read off the trace's tree: how many continuations it got (a particle
 * resampled k times has k children in the next generation; a beam kept has its expansions), and for a particle
 * filter its weight within its generation — the softmax of its PRM score's log-odds at the filter's temperature, as
 * the filter weighs particles before resampling (annealing, when it happened, flattened the weights it actually used;
 * the run's memo says when).
 */
final class Generations {

    /** @param weight null when the node has no PRM score or the run is not a particle filter */
    record Info(int depth, int continuations, Double weight) {
    }

    private Generations() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Info> of(List<Map<String, Object>> roots, Map<String, Object> spec) {
        String strategy = Objects.toString(spec == null ? null : spec.get("strategy"), "");
        Map<String, Object> options = spec != null && spec.get("options") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        String prm = Objects.toString(options.get("prm"), "");
        double temperature = options.get("temperature") instanceof Number t ? t.doubleValue() : 1.0;
        boolean logit = !"score".equals(options.get("weights"));
        Map<Integer, List<Map<String, Object>>> byDepth = new HashMap<>();
        Map<String, Info> info = new HashMap<>();
        walk(roots, 0, byDepth, info);
        if (!"particle_filter".equals(strategy)) {
            return info;
        }
        byDepth.forEach((depth, nodes) -> {
            List<double[]> logWeights = new ArrayList<>();
            double max = Double.NEGATIVE_INFINITY;
            for (Map<String, Object> c : nodes) {
                Double score = score(c, prm);
                double w = score == null ? Double.NaN : logWeight(score, logit) / temperature;
                logWeights.add(new double[]{w});
                if (!Double.isNaN(w)) {
                    max = Math.max(max, w);
                }
            }
            double sum = 0;
            for (double[] w : logWeights) {
                if (!Double.isNaN(w[0])) {
                    sum += Math.exp(w[0] - max);
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                String id = (String) nodes.get(i).get("id");
                double w = logWeights.get(i)[0];
                Info old = info.get(id);
                info.put(id, new Info(old.depth(), old.continuations(),
                        Double.isNaN(w) || sum == 0 ? null : Math.exp(w - max) / sum));
            }
        });
        return info;
    }

    @SuppressWarnings("unchecked")
    private static void walk(List<Map<String, Object>> nodes, int depth, Map<Integer, List<Map<String, Object>>> byDepth,
                             Map<String, Info> info) {
        for (Map<String, Object> c : nodes) {
            List<Map<String, Object>> kids = c.get("children") instanceof List<?> l
                    ? (List<Map<String, Object>>) l : List.of();
            info.put((String) c.get("id"), new Info(depth, kids.size(), null));
            if (!"partial".equals(c.get("finishReason"))) {
                byDepth.computeIfAbsent(depth, d -> new ArrayList<>()).add(c);
            }
            walk(kids, depth + 1, byDepth, info);
        }
    }

    private static double logWeight(double score, boolean logit) {
        double p = Math.min(1 - 1e-6, Math.max(1e-6, score));
        return logit ? Math.log(p / (1 - p)) : Math.log(p);
    }

    private static Double score(Map<String, Object> c, String prm) {
        if (c.get("scores") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> s && s.get("value") instanceof Number n
                    && (prm.isEmpty() || Objects.toString(s.get("scorer"), "").equals(prm))) {
                    return n.doubleValue();
                }
            }
        }
        return null;
    }
}
