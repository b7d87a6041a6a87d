package dev.verigen.orchestrator.experiments.grading;

import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.strategies.Answers;
import java.math.BigDecimal;

/**
 * Numeric items: the final answer equals the reference as a number ({@code 85}, {@code 85.0} and {@code \boxed{85}}
 * all match 85); non-numeric references compare as normalised text. Local and exact, so no service is asked.
 */
public final class NumericGrader implements Grader {

    @Override
    public Boolean correct(SuiteItem item, String text, String answer) {
        if (item.reference() == null || item.reference().isBlank()) {
            return null;
        }
        String reference = Answers.normalise(item.reference());
        if (answer == null || reference == null) {
            return false;
        }
        BigDecimal a = number(answer);
        BigDecimal r = number(reference);
        return a != null && r != null ? a.compareTo(r) == 0 : answer.equals(reference);
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
