package dev.verigen.orchestrator.experiments.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A report as an aligned plain-text table for a terminal. The at-k columns show each arm at its own largest k
 * (the "k" column), where arms differ most; the CSV and JSON forms carry the whole curves.
 */
public final class MetricsTable {

    private static final List<String> HEADER = List.of("arm", "runs", "acc", "tokens/run", "pass@1", "k", "pass@k",
            "maj@k", "bon@k", "fpr", "fnr");
    private static final String NONE = "-";

    private MetricsTable() {
    }

    public static String render(Report report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ArmMetrics arm : report.arms()) {
            rows.add(row(arm));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < width.length; c++) {
                if (c > 0) {
                    out.append(" | ");
                }
                // the arm reads left to right, numbers line up on their last digit
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                out.append(c == 0 ? cell + pad : pad + cell);
            }
            out.append('\n');
            if (r == 0) {
                for (int c = 0; c < width.length; c++) {
                    out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> row(ArmMetrics arm) {
        int k = arm.maxK();
        VerifierRates v = arm.verifier();
        return List.of(label(arm.arm()), Integer.toString(arm.runs()), rate(arm.accuracy()),
                String.format(Locale.ROOT, "%.1f", arm.tokensMean()), rate(arm.passAt(1)),
                k == 0 ? NONE : Integer.toString(k), rate(arm.passAt(k)), rate(arm.majorityAt(k)),
                rate(arm.bestOfNAt(k)), rate(v == null ? null : v.falsePositiveRate()),
                rate(v == null ? null : v.falseNegativeRate()));
    }

    private static String rate(Double value) {
        return value == null || value.isNaN() ? NONE : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Labels are user-given: a line break or tab in one would break every column after it. */
    private static String label(String arm) {
        StringBuilder s = new StringBuilder(arm.length());
        arm.codePoints().forEach(cp -> s.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return s.toString();
    }
}
