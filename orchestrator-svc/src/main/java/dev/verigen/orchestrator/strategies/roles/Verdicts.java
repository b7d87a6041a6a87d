package dev.verigen.orchestrator.strategies.roles;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the verdict of a critique or judge output; models write junk too, so absence is an answer. */
public final class Verdicts {

    // the templates ask for "Verdict: correct" / "Verdict: incorrect"; Archon's prompts ask for [Correct] / [Incorrect]
    private static final Pattern VERDICT = Pattern.compile("(?i)verdict\\s*[:：]\\s*\\**\\s*(correct|incorrect)\\b");
    private static final Pattern BRACKETED = Pattern.compile("(?i)\\[(correct|incorrect)]");

    private Verdicts() {
    }

    /** @return whether the last stated verdict says correct; empty when the text states none */
    public static Optional<Boolean> correct(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Optional<Boolean> stated = last(VERDICT.matcher(text));
        return stated.isPresent() ? stated : last(BRACKETED.matcher(text));
    }

    private static Optional<Boolean> last(Matcher m) {
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null ? Optional.empty() : Optional.of(last.equalsIgnoreCase("correct"));
    }
}
