package dev.verigen.orchestrator.experiments.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A report as CSV (RFC 4180), one row per arm. The at-k columns run over every k any arm reports, so every
 * row has the same columns; an arm that drew fewer samples leaves the larger k empty. Empty also means null.
 */
public final class MetricsCsv {

    private static final String EOL = "\r\n";
    private static final int DECIMALS = 6;

    private MetricsCsv() {
    }

    public static void write(Report report, Appendable out) {
        TreeSet<Integer> ks = new TreeSet<>();
        for (ArmMetrics arm : report.arms()) {
            arm.passAtK().forEach(p -> ks.add(p.k()));
        }
        List<String> header = new ArrayList<>(List.of("arm", "runs", "accuracy", "answered", "tokens_mean",
                "tokens_total", "flops_total", "calls_total"));
        for (String metric : List.of("pass", "maj", "bon")) {
            ks.forEach(k -> header.add(metric + "@" + k));
        }
        header.addAll(List.of("fpr", "fnr", "precision", "scorer_fpr", "scorer_fnr", "agreement_fpr",
                "agreement_fnr"));
        try {
            line(out, header);
            for (ArmMetrics arm : report.arms()) {
                line(out, row(arm, ks));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> row(ArmMetrics arm, TreeSet<Integer> ks) {
        List<String> cells = new ArrayList<>(List.of(text(arm.arm()), Integer.toString(arm.runs()),
                number(arm.accuracy()), number(arm.answered()), number(arm.tokensMean()),
                Long.toString(arm.tokensTotal()),
                arm.flopsTotal() == null ? "" : arm.flopsTotal().toPlainString(), Long.toString(arm.callsTotal())));
        ks.forEach(k -> cells.add(number(arm.passAt(k))));
        ks.forEach(k -> cells.add(number(arm.majorityAt(k))));
        ks.forEach(k -> cells.add(number(arm.bestOfNAt(k))));
        VerifierRates v = arm.verifier();
        cells.add(number(v == null ? null : v.falsePositiveRate()));
        cells.add(number(v == null ? null : v.falseNegativeRate()));
        cells.add(number(v == null ? null : v.precision()));
        for (VerifierRates r : java.util.Arrays.asList(arm.scorer(), arm.agreement())) {
            cells.add(number(r == null ? null : r.falsePositiveRate()));
            cells.add(number(r == null ? null : r.falseNegativeRate()));
        }
        return cells;
    }

    private static void line(Appendable out, List<String> cells) throws IOException {
        out.append(String.join(",", cells)).append(EOL);
    }

    /** Plain decimal with at most six places: no exponent, no locale, nothing a spreadsheet could misread. */
    static String number(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "";
        }
        return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }

    /**
     * A user-given label as a cell. A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage
     * return, which some strip first) as a formula, so such a cell gets a leading apostrophe; then anything with
     * a separator, quote or line break is quoted, inner quotes doubled.
     */
    static String text(String value) {
        String cell = value == null ? "" : value;
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            cell = "'" + cell;
        }
        if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
            cell = '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}
