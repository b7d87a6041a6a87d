package dev.verigen.orchestrator.strategies.roles;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a ranker's output ("Ranking: 2, 1, 3", or Archon's "[2] > [1] > [3]") as an order of the candidates.
 * Junk is tolerated: numbers out of range and repeats are dropped, and candidates the ranking leaves out follow
 * in their original order, so the result is always a permutation.
 */
public final class RankingParser {

    private static final Pattern RANKING_LINE = Pattern.compile("(?im)^[\\s*#>-]*ranking\\s*\\**\\s*[:：]\\s*(.*)$");
    private static final Pattern BRACKETED = Pattern.compile("\\[(\\d{1,4})]");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,4}");

    private RankingParser() {
    }

    /**
     * @param order  0-based candidate positions, best first; always a permutation of {@code 0..count-1}
     * @param parsed whether the output named at least one candidate (false: {@code order} is the original order)
     */
    public record Ranking(List<Integer> order, boolean parsed) {
    }

    public static Ranking parse(String text, int count) {
        Set<Integer> named = new LinkedHashSet<>();
        if (text != null) {
            String line = null;
            Matcher m = RANKING_LINE.matcher(text);
            while (m.find()) {
                line = m.group(1);
            }
            if (line != null) {
                collect(NUMBER.matcher(line), 0, count, named);
            }
            if (named.isEmpty()) {
                collect(BRACKETED.matcher(text.strip().lines().findFirst().orElse("")), 1, count, named);
            }
        }
        boolean parsed = !named.isEmpty();
        List<Integer> order = new ArrayList<>(named);
        for (int i = 0; i < count; i++) {
            if (!named.contains(i)) {
                order.add(i);
            }
        }
        return new Ranking(List.copyOf(order), parsed);
    }

    private static void collect(Matcher m, int group, int count, Set<Integer> into) {
        while (m.find()) {
            int n = Integer.parseInt(m.group(group));
            if (n >= 1 && n <= count) {
                into.add(n - 1);
            }
        }
    }
}
