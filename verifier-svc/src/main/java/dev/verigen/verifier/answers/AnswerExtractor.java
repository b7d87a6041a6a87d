package dev.verigen.verifier.answers;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the final answer out of a model's free-text solution, in order of how explicit the model was:
 * the last {@code \boxed{...}}, else the last "Answer: X" / "The answer is X" / "#### X", else the last number.
 * Only the last {@code maxScanChars} characters are read: the final answer is at the end, and this keeps a
 * runaway generation cheap. Stateless and thread-safe.
 */
public final class AnswerExtractor {

    public static final int DEFAULT_MAX_SCAN_CHARS = 64 * 1024;

    private static final String BOXED = "\\boxed";
    private static final int MAX_BOXED_TRIES = 16;
    private static final int EXCERPT = 80;

    // "####" is GSM8K's marker; the rest covers how chat models usually announce a result
    private static final Pattern MARKER = Pattern.compile(
            "####|\\b(?:the\\s+)?(?:final\\s+)?answer(?:\\s+is)?\\s*[:：]|\\b(?:the\\s+)?(?:final\\s+)?answer\\s+is\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    // the announced answer: the rest of the marker's line, or the next line when the marker ends its line
    private static final Pattern AFTER_MARKER = Pattern.compile("[ \\t]*\\R?[ \\t]*([^\\r\\n]*)");

    private final int maxScanChars;

    public AnswerExtractor(int maxScanChars) {
        if (maxScanChars < 1) {
            throw new IllegalArgumentException("maxScanChars must be positive");
        }
        this.maxScanChars = maxScanChars;
    }

    public AnswerExtractor() {
        this(DEFAULT_MAX_SCAN_CHARS);
    }

    public Optional<Extraction> extract(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return Optional.empty();
        }
        String text = Text.tail(candidate, maxScanChars);
        return boxed(text)
                .or(() -> marker(text))
                .or(() -> Numbers.lastNumber(text)
                        .map(n -> new Extraction(n.token(), Extraction.Method.LAST_NUMBER, n.context())));
    }

    private static Optional<Extraction> boxed(String text) {
        int from = text.length();
        for (int tries = 0; tries < MAX_BOXED_TRIES; tries++) {
            int at = text.lastIndexOf(BOXED, from - 1);
            if (at < 0) {
                return Optional.empty();
            }
            int open = at + BOXED.length();
            while (open < text.length() && text.charAt(open) == ' ') {
                open++;
            }
            if (open < text.length() && text.charAt(open) == '{') {
                int close = matchingBrace(text, open);
                if (close > 0) {
                    String inner = text.substring(open + 1, close).strip();
                    if (!inner.isEmpty()) {
                        return Optional.of(new Extraction(inner, Extraction.Method.BOXED, around(text, at, close + 1)));
                    }
                }
            }
            // unbalanced or empty: an earlier, complete \boxed{} is still a better answer than a bare number
            from = at;
            if (from == 0) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                i++; // an escaped brace \{ does not nest
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

    private static Optional<Extraction> marker(String text) {
        Matcher m = MARKER.matcher(text);
        Matcher after = AFTER_MARKER.matcher(text);
        Extraction last = null;
        // markers are found one by one, so "Answer: 1. No wait, answer: 2" yields the later one
        while (m.find()) {
            after.region(m.end(), text.length());
            if (!after.lookingAt()) {
                continue;
            }
            String rest = after.group(1);
            Matcher inner = MARKER.matcher(rest);
            if (inner.find()) {
                rest = rest.substring(0, inner.start()); // a later marker on the same line starts its own answer
            }
            String answer = cleanMarkerAnswer(rest);
            if (!answer.isEmpty()) {
                last = new Extraction(answer, Extraction.Method.MARKER, around(text, m.start(), after.end(1)));
            }
        }
        return Optional.ofNullable(last);
    }

    /** Strips the decoration models put around an announced answer: markdown bold, math dollars, a final period. */
    static String cleanMarkerAnswer(String raw) {
        String s = raw.strip();
        s = s.replaceAll("^\\*+|\\*+$", "").strip();
        if (s.length() >= 2 && s.startsWith("$") && s.endsWith("$") && !s.substring(1, s.length() - 1).contains("$")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.endsWith(".") && !s.endsWith("..")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private static String around(String text, int start, int end) {
        int from = Math.max(0, start);
        int to = Math.min(text.length(), Math.max(end, from));
        return Text.excerpt(text.substring(from, to), EXCERPT);
    }
}
