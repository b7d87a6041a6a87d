package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The experiment page's plots as Chart.js configurations (rendered by dashboard.js from a data attribute): accuracy
 * against tokens per pipeline (log x: scaling curves across budgets), pass@k / majority@k / best-of-N@k per arm (log x),
 * verifier false-positive and false-negative rates per arm, and a compute_optimal arm's spend per difficulty bin.
 */
final class ExperimentCharts {

    private ExperimentCharts() {
    }

    /** One line per pipeline through its arms (pipeline@budget) at (mean tokens per run, accuracy). */
    static Map<String, Object> accuracyVsTokens(List<Map<String, Object>> arms) {
        Map<String, List<Map<String, Object>>> lines = new LinkedHashMap<>();
        for (Map<String, Object> arm : arms) {
            String name = Objects.toString(arm.get("arm"), "");
            String pipeline = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            if (arm.get("tokensMean") instanceof Number t && t.doubleValue() > 0 && arm.get("accuracy") instanceof Number a) {
                lines.computeIfAbsent(pipeline, p -> new ArrayList<>()).add(Map.of("x", t.doubleValue(), "y",
                        a.doubleValue(), "arm", name));
            }
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        lines.forEach((pipeline, points) -> {
            points.sort((p, q) -> Double.compare((double) p.get("x"), (double) q.get("x")));
            datasets.add(Map.of("label", pipeline, "data", points, "showLine", true));
        });
        return Map.of("type", "scatter", "data", Map.of("datasets", datasets),
                "options", Map.of("logX", true, "xTitle", "mean tokens per run (log)", "yTitle", "accuracy",
                        "yMin", 0, "yMax", 1));
    }

    /** {@code curve} (passAtK, majorityAtK, bestOfNAtK) of every arm against k, log x. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> atK(List<Map<String, Object>> arms, String curve, String title) {
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (Map<String, Object> arm : arms) {
            if (!(arm.get(curve) instanceof List<?> points) || points.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> data = new ArrayList<>();
            for (Object p : points) {
                Map<String, Object> point = (Map<String, Object>) p;
                data.add(Map.of("x", point.get("k"), "y", point.get("value")));
            }
            datasets.add(Map.of("label", Objects.toString(arm.get("arm"), ""), "data", data, "showLine", true));
        }
        if (datasets.isEmpty()) {
            return null;
        }
        return Map.of("type", "scatter", "data", Map.of("datasets", datasets),
                "options", Map.of("logX", true, "xTitle", "k samples (log)", "yTitle", title, "yMin", 0, "yMax", 1));
    }

    /** False-positive and false-negative rates of the verifier, the reward model and agreement, per arm. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> verifierRates(List<Map<String, Object>> arms) {
        List<String> labels = new ArrayList<>();
        Map<String, List<Object>> series = new LinkedHashMap<>();
        for (String s : List.of("verifier FPR", "verifier FNR", "reward model FPR", "reward model FNR",
                "agreement FPR", "agreement FNR")) {
            series.put(s, new ArrayList<>());
        }
        boolean any = false;
        for (Map<String, Object> arm : arms) {
            labels.add(Objects.toString(arm.get("arm"), ""));
            int i = 0;
            for (String source : List.of("verifier", "scorer", "agreement")) {
                Map<String, Object> rates = arm.get(source) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
                Object fpr = rates == null ? null : rates.get("falsePositiveRate");
                Object fnr = rates == null ? null : rates.get("falseNegativeRate");
                any |= fpr != null || fnr != null;
                new ArrayList<>(series.values()).get(i++).add(fpr);
                new ArrayList<>(series.values()).get(i++).add(fnr);
            }
        }
        if (!any) {
            return null;
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        series.forEach((label, values) -> {
            if (values.stream().anyMatch(Objects::nonNull)) {
                datasets.add(Map.of("label", label, "data", values));
            }
        });
        return Map.of("type", "bar", "data", Map.of("labels", labels, "datasets", datasets),
                "options", Map.of("yTitle", "rate", "yMin", 0, "yMax", 1));
    }

    /**
     * Mean tokens a compute_optimal arm spent per item, for items binned by difficulty (pooled pass@1 over every arm,
     * four bins from hardest to easiest).
     */
    static Map<String, Object> spendPerBin(List<Map<String, Object>> items, List<Map<String, Object>> cells,
                                           Map<String, Long> tokensByRun, List<String> optimalArms) {
        Map<String, Double> pass1 = new LinkedHashMap<>();
        for (Map<String, Object> item : items) {
            if (item.get("pass1") instanceof Number p) {
                pass1.put(Objects.toString(item.get("item")), p.doubleValue());
            }
        }
        String[] bins = {"hardest (pass@1 < 0.25)", "0.25–0.5", "0.5–0.75", "easiest (≥ 0.75)"};
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (String arm : optimalArms) {
            Map<String, Long> perItem = new LinkedHashMap<>();
            for (Map<String, Object> cell : cells) {
                if (arm.equals(cell.get("arm")) && cell.get("run") != null) {
                    perItem.merge(Objects.toString(cell.get("item")),
                            tokensByRun.getOrDefault(cell.get("run").toString(), 0L), Long::sum);
                }
            }
            double[] sum = new double[4];
            int[] count = new int[4];
            perItem.forEach((item, tokens) -> {
                Double p = pass1.get(item);
                if (p != null) {
                    int b = Math.min(3, (int) Math.floor(p * 4));
                    sum[b] += tokens;
                    count[b]++;
                }
            });
            List<Object> means = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                means.add(count[b] == 0 ? null : sum[b] / count[b]);
            }
            datasets.add(Map.of("label", arm + " (mean tokens per item)", "data", means));
        }
        return Map.of("type", "bar", "data", Map.of("labels", List.of(bins), "datasets", datasets),
                "options", Map.of("yTitle", "tokens per item", "xTitle", "item difficulty"));
    }
}
