package dev.verigen.orchestrator.strategies;

import java.util.regex.Pattern;

/**
 * How step-wise search reads partial solutions: steps end with the pool's step delimiter (a newline, which
 * generator-svc's role templates ask for), and a solution is complete once it states its answer.
 */
public final class Stepwise {

    public static final String DELIMITER = "\n";

    private static final Pattern ANSWER_LINE = Pattern.compile("(?im)^\\s*(?:final\\s+)?answer\\s*(?:is)?\\s*[:：]|####");

    private Stepwise() {
    }

    /** Whether a generated step finishes the solution: it states the answer, or the model stopped for length. */
    public static boolean finishes(String step, String finishReason) {
        return ANSWER_LINE.matcher(step).find() || "length".equals(finishReason);
    }

    /** The text of a continuation: the parent's text, the new step, and the delimiter when more steps follow. */
    public static String extend(String parentText, String step, boolean complete) {
        return parentText + step + (complete ? "" : DELIMITER);
    }

    /** How many steps a (partial) solution has. */
    public static int depth(String text) {
        int steps = 0;
        for (String line : text.split(DELIMITER)) {
            if (!line.isBlank()) {
                steps++;
            }
        }
        return steps;
    }
}
