package dev.verigen.orchestrator.strategies;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final answer of a candidate, in a form two candidates can be compared by: what voting strategies group on.
 * The run's verifier knows the task's answer format best, so its extraction wins when there is one; otherwise the
 * text is read the way verifier-svc reads it (last {@code \boxed{}}, else the last "Answer: X" / "answer is X" /
 * "#### X", else the last number). Numbers are normalised so that "42", "42.0", "42," and "42.00" agree.
 */
public final class Answers {

    private static final Pattern MARKER = Pattern.compile(
            "####|\\b(?:final\\s+)?answer(?:\\s+is)?\\s*[:：]|\\b(?:final\\s+)?answer\\s+is\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern REST_OF_LINE = Pattern.compile("[ \\t]*([^\\r\\n]*)");
    private static final String UNSIGNED = "(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)(?:[eE][-+]?\\d+)?";
    // a number not glued to letters: "x2" or "2nd" are not answers
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])([-+−]?)(" + UNSIGNED + ")(?![\\w])");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("([-+−]?)(" + UNSIGNED + ")");
    // "x = 42" answers 42: the variable is the question's, not part of the answer
    private static final Pattern ASSIGNMENT = Pattern.compile("^[a-zA-Z]\\w{0,15}\\s*=\\s*(.+)$");

    private Answers() {
    }

    /** The candidate's normalised answer, or null when it states none. */
    public static String of(RunState.Candidate candidate) {
        if (candidate.extracted() != null && !candidate.extracted().isBlank()) {
            return normalise(candidate.extracted());
        }
        return extract(candidate.text());
    }

    /** The normalised answer stated in a free-text solution, or null when there is none. */
    public static String extract(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String found = boxed(text);
        if (found == null) {
            found = marked(text);
        }
        if (found == null) {
            Matcher m = NUMBER.matcher(text);
            while (m.find()) {
                found = m.group();
            }
        }
        return found == null ? null : normalise(found);
    }

    /** One spelling per answer: numbers in plain canonical form, other text trimmed, unadorned and lower-cased. */
    public static String normalise(String answer) {
        if (answer == null) {
            return null;
        }
        String s = answer.strip();
        String inner = boxed(s);
        s = inner == null ? s : inner;
        s = s.replaceAll("^\\*+|\\*+$", "").replace("$", "").strip();
        s = s.replaceAll("[.,;:!]+$", "").strip();
        Matcher assignment = ASSIGNMENT.matcher(s);
        if (assignment.matches()) {
            s = assignment.group(1).strip();
        }
        Matcher number = WHOLE_NUMBER.matcher(s);
        if (number.matches()) {
            return canonicalNumber(number.group(1), number.group(2));
        }
        String text = s.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return text.isEmpty() ? null : text;
    }

    private static String canonicalNumber(String sign, String digits) {
        BigDecimal value = new BigDecimal(digits.replace(",", ""));
        if (sign.equals("-") || sign.equals("−")) {
            value = value.negate();
        }
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    /** The content of the last complete {@code \boxed{...}}, or null. */
    private static String boxed(String text) {
        int at = text.lastIndexOf("\\boxed");
        while (at >= 0) {
            int open = text.indexOf('{', at);
            if (open >= 0 && text.substring(at + 6, open).isBlank()) {
                int depth = 0;
                for (int i = open; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '{') {
                        depth++;
                    } else if (c == '}' && --depth == 0) {
                        String inner = text.substring(open + 1, i).strip();
                        if (!inner.isEmpty()) {
                            return inner;
                        }
                        break;
                    }
                }
            }
            at = at == 0 ? -1 : text.lastIndexOf("\\boxed", at - 1);
        }
        return null;
    }

    /** What follows the last answer marker on its line, or null. */
    private static String marked(String text) {
        Matcher m = MARKER.matcher(text);
        Matcher rest = REST_OF_LINE.matcher(text);
        String last = null;
        while (m.find()) {
            rest.region(m.end(), text.length());
            if (rest.lookingAt() && !rest.group(1).isBlank()) {
                String line = rest.group(1);
                Matcher next = MARKER.matcher(line);
                last = next.find() ? line.substring(0, next.start()) : line;
            }
        }
        return last == null || last.isBlank() ? null : last;
    }
}
