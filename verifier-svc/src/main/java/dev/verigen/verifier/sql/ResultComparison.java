package dev.verigen.verifier.sql;

import dev.verigen.verifier.sql.QueryResult.Cell;
import dev.verigen.verifier.sql.QueryResult.Rows;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares a candidate's rows with the reference's: as sequences when ordered, else as multisets. */
final class ResultComparison {

    /** {@code equal}, and the evidence either way. */
    record Outcome(boolean equal, String evidence) {
    }

    private ResultComparison() {
    }

    static Outcome compare(Rows candidate, Rows reference, boolean ordered) {
        int cc = candidate.columns().size();
        int rc = reference.columns().size();
        if (cc != rc) {
            return new Outcome(false, "candidate returns " + cc + " column" + (cc == 1 ? "" : "s") + " " + candidate.columns()
                    + ", reference " + rc + " " + reference.columns());
        }
        int cn = candidate.rows().size();
        int rn = reference.rows().size();
        String counts = "candidate " + cn + " row" + (cn == 1 ? "" : "s") + ", reference " + rn;
        return ordered ? sequence(candidate.rows(), reference.rows(), counts, rc) : multiset(candidate.rows(), reference.rows(), counts, rc);
    }

    private static Outcome sequence(List<List<Cell>> cand, List<List<Cell>> ref, String counts, int columns) {
        int common = Math.min(cand.size(), ref.size());
        for (int i = 0; i < common; i++) {
            if (!cand.get(i).equals(ref.get(i))) {
                return new Outcome(false, counts + " (ordered); first difference at row " + (i + 1) + ": candidate "
                        + QueryResult.show(cand.get(i)) + " vs reference " + QueryResult.show(ref.get(i)));
            }
        }
        if (cand.size() > ref.size()) {
            return new Outcome(false, counts + " (ordered); the first " + common + " agree, extra candidate row "
                    + (common + 1) + ": " + QueryResult.show(cand.get(common)));
        }
        if (ref.size() > cand.size()) {
            return new Outcome(false, counts + " (ordered); the first " + common + " agree, missing reference row "
                    + (common + 1) + ": " + QueryResult.show(ref.get(common)));
        }
        return new Outcome(true, "same " + ref.size() + " row" + (ref.size() == 1 ? "" : "s") + " × " + columns
                + " column" + (columns == 1 ? "" : "s") + " as the reference, in the same order");
    }

    private static Outcome multiset(List<List<Cell>> cand, List<List<Cell>> ref, String counts, int columns) {
        Map<List<Cell>, Integer> balance = new LinkedHashMap<>();
        for (List<Cell> row : ref) {
            balance.merge(row, 1, Integer::sum);
        }
        for (List<Cell> row : cand) {
            balance.merge(row, -1, Integer::sum);
        }
        int missing = 0;
        int extra = 0;
        List<Cell> firstMissing = null;
        Map<List<Cell>, Integer> seen = new HashMap<>();
        for (Map.Entry<List<Cell>, Integer> e : balance.entrySet()) {
            if (e.getValue() > 0) {
                missing += e.getValue();
                if (firstMissing == null) {
                    firstMissing = e.getKey();
                }
            }
        }
        List<Cell> firstExtra = null;
        for (List<Cell> row : cand) { // first extra row in the candidate's own order
            int b = balance.getOrDefault(row, 0);
            if (b < 0 && seen.merge(row, 1, Integer::sum) == 1) {
                extra += -b;
                if (firstExtra == null) {
                    firstExtra = row;
                }
            }
        }
        if (missing == 0 && extra == 0) {
            return new Outcome(true, "same " + ref.size() + " row" + (ref.size() == 1 ? "" : "s") + " × " + columns
                    + " column" + (columns == 1 ? "" : "s") + " as the reference (compared as multisets)");
        }
        StringBuilder sb = new StringBuilder(counts).append(" (compared as multisets)");
        if (missing > 0) {
            sb.append("; ").append(missing).append(" reference row").append(missing == 1 ? "" : "s")
                    .append(" missing from the candidate, first ").append(QueryResult.show(firstMissing));
        }
        if (extra > 0) {
            sb.append("; ").append(extra).append(" extra candidate row").append(extra == 1 ? "" : "s")
                    .append(", first ").append(QueryResult.show(firstExtra));
        }
        return new Outcome(false, sb.toString());
    }
}
