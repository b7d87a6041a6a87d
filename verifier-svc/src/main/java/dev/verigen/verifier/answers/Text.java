package dev.verigen.verifier.answers;

/** Small string helpers that every verifier needs so evidence stays short and always encodable. */
public final class Text {

    private Text() {
    }

    /**
     * Replaces unpaired surrogates with U+FFFD. A candidate decoded from JSON escapes can hold them, and the JSON
     * encoder refuses to write them back out, which would turn one odd candidate into a lost result.
     */
    public static String sanitize(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
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
