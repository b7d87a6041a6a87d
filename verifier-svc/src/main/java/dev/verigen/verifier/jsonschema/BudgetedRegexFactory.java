package dev.verigen.verifier.jsonschema;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import dev.verigen.verifier.regex.BudgetedText;
import java.util.regex.Pattern;

/**
 * JSON Schema's {@code pattern} and {@code patternProperties} through {@link BudgetedText}: a schema pattern that
 * backtracks catastrophically on a candidate's string stops at the validation's deadline instead of hanging.
 * The deadline is per thread, set around one validation by {@link #withDeadline}.
 */
final class BudgetedRegexFactory implements RegularExpressionFactory {

    static final long MAX_READS_PER_MATCH = 5_000_000L;
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern p = Pattern.compile(regex);
        return value -> {
            Long deadline = DEADLINE.get();
            long d = deadline != null ? deadline : System.nanoTime() + 200_000_000L;
            return p.matcher(new BudgetedText(value, MAX_READS_PER_MATCH, d)).find();
        };
    }

    static <T> T withDeadline(long deadlineNanos, java.util.function.Supplier<T> work) {
        DEADLINE.set(deadlineNanos);
        try {
            return work.get();
        } finally {
            DEADLINE.remove();
        }
    }
}
