package dev.verigen.verifier.answers;

import dev.verigen.support.problems.Problems;

/** Small string helpers that every verifier needs so evidence stays short and always encodable. */
public final class Text {

    private Text() {
    }

    /**
     * Replaces unpaired surrogates with U+FFFD. A candidate decoded from JSON escapes can hold them, and the JSON
     * encoder refuses to write them back out, which would turn one odd candidate into a lost result.
     */
    public static String sanitize(String s) {
        return Problems.sanitize(s);
    }

    /** Quotable form: sanitized, newlines shown as spaces, cut to {@code max} chars. */
    public static String excerpt(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.length() > max * 4 ? s.substring(0, max * 4) : s;
        one = sanitize(one).replaceAll("\\s+", " ").strip();
        if (one.length() <= max) {
            return one;
        }
        int cut = max;
        if (Character.isHighSurrogate(one.charAt(cut - 1))) {
            cut--;
        }
        return one.substring(0, cut) + "…";
    }

    /** The last {@code max} chars of {@code s}, never starting in the middle of a surrogate pair. */
    public static String tail(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int start = s.length() - max;
        if (Character.isLowSurrogate(s.charAt(start))) {
            start++;
        }
        return s.substring(start);
    }
}
