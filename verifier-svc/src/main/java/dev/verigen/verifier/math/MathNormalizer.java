package dev.verigen.verifier.math;

import dev.verigen.verifier.answers.Text;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a LaTeX-ish final answer into a canonical plain form: {@code \dfrac{1}{2}} → {@code 1/2},
 * {@code \left(x\right)} → {@code (x)}, {@code 3\cdot 4} → {@code 3*4}, {@code x^{2}} → {@code x^2},
 * {@code \text{...}}/{@code \mathrm{...}} unwrapped, {@code $}, thousands separators, degrees and trailing units
 * ({@code 12 cm}, {@code 5 dollars}) dropped, {@code x = 5} → {@code 5}, whitespace removed. {@code \sqrt} and
 * other commands stay symbolic. Input is bounded by the caller ({@link #MAX_CHARS}).
 */
final class MathNormalizer {

    static final int MAX_CHARS = 2000;

    private static final List<String> UNWRAP = List.of("\\text", "\\textbf", "\\textit", "\\textrm", "\\mathrm",
            "\\mathbf", "\\mathit", "\\mbox", "\\operatorname", "\\boxed");
    private static final String UNITS = "units?|cm|mm|km|m|meters?|metres?|kilometers?|centimeters?|millimeters?"
            + "|inch(?:es)?|in|feet|foot|ft|yards?|yd|miles?|mi|kg|g|grams?|kilograms?|mg|lbs?|pounds?|ounces?|oz|tons?"
            + "|l|liters?|litres?|ml|milliliters?|gallons?|gal|cups?|dollars?|cents?|euros?|s|sec|seconds?|min"
            + "|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|mph|km/h|m/s|degrees?|deg|radians?|rad";
    private static final String LONG_UNITS = "units?|cm|mm|km|meters?|metres?|kilometers?|centimeters?|millimeters?"
            + "|inch(?:es)?|feet|ft|yards?|miles?|kg|grams?|kilograms?|mg|lbs?|pounds?|ounces?|oz|liters?|litres?|ml"
            + "|dollars?|cents?|seconds?|sec|minutes?|hrs?|hours?|days?|weeks?|years?|mph|degrees?";
    private static final String POWER = "(?:\\s*\\^\\s*\\{?[23]\\}?)?\\.?\\s*$";
    // a unit after a number (or a closing bracket of one), separated by a space
    private static final Pattern UNIT_AFTER_SPACE = Pattern.compile(
            "(?<=[\\d})%])\\s+(?:(?:square|sq\\.?|cubic|cu\\.?)\\s*)?(?:" + UNITS + ")" + POWER, Pattern.CASE_INSENSITIVE);
    // glued to the number only for units that cannot be a variable (12cm, not 2m)
    private static final Pattern UNIT_GLUED = Pattern.compile(
            "(?<=\\d)(?:" + LONG_UNITS + ")" + POWER, Pattern.CASE_INSENSITIVE);
    private static final Pattern PERCENT_WORD = Pattern.compile("(?<=[\\d})])\\s*percent\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING_VAR = Pattern.compile("^[A-Za-z](?:_\\{?\\w+\\}?)?\\s*=(?!=)\\s*");
    private static final Pattern THOUSANDS = Pattern.compile("(?<![\\d.,])\\d{1,3}(?:,\\d{3})+(?![\\d,])");

    private MathNormalizer() {
    }

    static String normalize(String raw) {
        String s = Text.sanitize(raw).strip();
        if (s.length() > MAX_CHARS) {
            s = s.substring(0, MAX_CHARS);
        }
        s = s.replace('\u2212', '-').replace('\u2013', '-').replace("×", "*").replace("·", "*")
                .replace("÷", "/").replace("°", "").replace("π", "\\pi ").replace("√", "\\sqrt")
                .replace("\\$", "").replace("$", "")
                .replace("\\left", "").replace("\\right", "")
                .replace("\\!", "").replace("\\,", " ").replace("\\;", " ").replace("\\:", " ").replace("\\ ", " ")
                .replace("~", " ")
                .replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
                .replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "").replace("\\degree", "")
                .replace("\\%", "%").replace("{,}", ",")
                .replace("\\cdot", "*").replace("\\times", "*").replace("\\div", "/");
        for (String cmd : UNWRAP) {
            s = unwrap(s, cmd);
        }
        s = s.strip();
        if (s.endsWith(".") && !s.endsWith("..")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        s = LEADING_VAR.matcher(s).replaceFirst("");
        s = PERCENT_WORD.matcher(s).replaceFirst("%");
        for (int i = 0; i < 3; i++) {
            String before = s;
            s = UNIT_AFTER_SPACE.matcher(s).replaceFirst("");
            s = UNIT_GLUED.matcher(s).replaceFirst("");
            if (s.equals(before)) {
                break;
            }
        }
        if (!(s.startsWith("(") || s.startsWith("["))) {
            s = THOUSANDS.matcher(s).replaceAll(r -> r.group().replace(",", ""));
        }
        s = fracs(s, 0);
        s = s.replaceAll("\\s+", "");
        s = s.replaceAll("\\\\sqrt(\\w)", "\\\\sqrt{$1}");
        s = s.replaceAll("\\^\\{([^{}]*)}", "^($1)").replaceAll("\\^\\((\\w+)\\)", "^$1");
        return s;
    }

    /** {@code \cmd{X}} → {@code X}, braces balanced. */
    private static String unwrap(String s, String cmd) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int at = s.indexOf(cmd + "{", i);
            if (at < 0) {
                out.append(s, i, s.length());
                break;
            }
            int open = at + cmd.length();
            int close = matchingBrace(s, open);
            if (close < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, at).append(s, open + 1, close);
            i = close + 1;
        }
        return out.toString();
    }

    /** {@code \frac{A}{B}} (and {@code \frac12}) → {@code A/B}, each side parenthesised unless it is one token. */
    private static String fracs(String s, int depth) {
        if (depth > 16 || !s.contains("\\frac")) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int at = s.indexOf("\\frac", i);
            if (at < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, at);
            int[] a = group(s, at + 5);
            int[] b = a == null ? null : group(s, a[1]);
            if (b == null) {
                out.append("\\frac");
                i = at + 5;
                continue;
            }
            String num = fracs(s.substring(a[0], a[0] + a[2]), depth + 1).strip();
            String den = fracs(s.substring(b[0], b[0] + b[2]), depth + 1).strip();
            out.append('(').append(wrap(num)).append('/').append(wrap(den)).append(')');
            i = b[1];
        }
        return out.toString();
    }

    private static String wrap(String t) {
        return t.matches("[\\w.]+|\\\\[A-Za-z]+") ? t : "(" + t + ")";
    }

    /** A {@code {...}} group or a single character at {@code from} (spaces skipped): {start, end, length}, or null. */
    private static int[] group(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        if (i >= s.length()) {
            return null;
        }
        if (s.charAt(i) == '{') {
            int close = matchingBrace(s, i);
            return close < 0 ? null : new int[] {i + 1, close + 1, close - i - 1};
        }
        return Character.isLetterOrDigit(s.charAt(i)) ? new int[] {i, i + 1, 1} : null;
    }

    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                i++;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
