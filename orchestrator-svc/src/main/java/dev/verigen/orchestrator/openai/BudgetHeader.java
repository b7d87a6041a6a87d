package dev.verigen.orchestrator.openai;

import dev.verigen.support.problems.ApiProblem;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code X-Verigen-Budget: tokens=20000, calls=64, flops=1e15}: the run's caps for clients that cannot add a body
 * member. Keys may come in any order, each at most once; whole numbers for tokens and calls, any positive number for
 * FLOPs. Anything else is refused with the header named, since a mistyped cap silently ignored would let a run
 * spend without limit.
 */
public final class BudgetHeader {

    public static final String NAME = "X-Verigen-Budget";
    private static final Pattern WHOLE = Pattern.compile("\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,3})?");
    private static final long MAX = Long.MAX_VALUE / 4;

    private BudgetHeader() {
    }

    /** @return null when the header is absent */
    public static ChatRequest.Budget parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.isBlank()) {
            throw invalid("is empty; expected e.g. 'tokens=20000, calls=64, flops=1e15'");
        }
        Long tokens = null;
        Long calls = null;
        Double flops = null;
        Set<String> seen = new HashSet<>();
        for (String part : header.split(",", -1)) {
            String item = part.strip();
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw invalid("'" + item + "' is not key=value; expected e.g. 'tokens=20000, calls=64, flops=1e15'");
            }
            String key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = item.substring(eq + 1).strip();
            if (!seen.add(key)) {
                throw invalid("'" + key + "' is given twice");
            }
            switch (key) {
                case "tokens" -> tokens = whole(key, value);
                case "calls" -> calls = whole(key, value);
                case "flops" -> flops = positive(key, value);
                default -> throw invalid("unknown key '" + key + "'; known: tokens, calls, flops");
            }
        }
        return new ChatRequest.Budget(tokens, calls, flops, NAME);
    }

    private static long whole(String key, String value) {
        long parsed = WHOLE.matcher(value).matches() ? Long.parseLong(value) : -1;
        if (parsed < 1 || parsed > MAX) {
            throw invalid(key + " must be a whole number between 1 and " + MAX + ", not '" + value + "'");
        }
        return parsed;
    }

    private static double positive(String key, String value) {
        double parsed = DECIMAL.matcher(value).matches() ? Double.parseDouble(value) : -1;
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw invalid(key + " must be a positive, finite number such as 1e15, not '" + value + "'");
        }
        return parsed;
    }

    private static ApiProblem invalid(String message) {
        return ApiProblem.invalid(NAME, message);
    }
}
