package dev.verigen.verifier.jsonschema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON in a model's answer: the last {@code ```json} fenced block (an unclosed last fence runs to the
 * end), else the first top-level {@code {...}} or {@code [...]} (brackets balanced, strings respected), else the
 * whole text.
 */
final class JsonText {

    private static final Pattern FENCE = Pattern.compile("```[ \\t]*json[ \\t]*\\R", Pattern.CASE_INSENSITIVE);

    /** The JSON text and where it came from. */
    record Found(String json, String from) {
    }

    private JsonText() {
    }

    static Found find(String text) {
        Matcher m = FENCE.matcher(text);
        int last = -1;
        while (m.find()) {
            last = m.end();
        }
        if (last >= 0) {
            int close = text.indexOf("```", last);
            return new Found(text.substring(last, close < 0 ? text.length() : close).strip(),
                    close < 0 ? "the last ```json block (unclosed)" : "the last ```json block");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                int end = balancedEnd(text, i);
                if (end > 0) {
                    return new Found(text.substring(i, end), "the first top-level " + (c == '{' ? "object" : "array"));
                }
                break; // unbalanced: the text as a whole is the best guess, and its parse error says where
            }
        }
        return new Found(text.strip(), "the whole candidate");
    }

    /** Index just past the bracket closing the one at {@code open}, or -1. Iterative: nesting depth costs no stack. */
    private static int balancedEnd(String s, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
