package dev.verigen.verifier.code;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code in a candidate: the last fenced block tagged with the language (```python), else the last untagged
 * fenced block, else the whole text. A block the model did not close (it ran out of tokens) runs to the end.
 */
public final class CodeExtractor {

    private static final Pattern OPEN = Pattern.compile("^[ \\t]{0,3}(`{3,}|~{3,})[ \\t]*([^\\s`]*)[^\\n]*$");

    private CodeExtractor() {
    }

    /** Where the code came from, for evidence. */
    public record Code(String text, String source) {
    }

    public static Code extract(String candidate, Language language) {
        String[] lines = candidate.split("\n", -1);
        String tagged = null;
        String untagged = null;
        int i = 0;
        while (i < lines.length) {
            Matcher m = OPEN.matcher(stripCr(lines[i]));
            if (!m.matches()) {
                i++;
                continue;
            }
            String fence = m.group(1);
            String info = m.group(2);
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            while (j < lines.length && !closes(stripCr(lines[j]), fence)) {
                body.append(lines[j]).append('\n');
                j++;
            }
            if (info.isEmpty()) {
                untagged = body.toString();
            } else if (language.tagged(info)) {
                tagged = body.toString();
            }
            i = j + 1;
        }
        if (tagged != null) {
            return new Code(tagged, "last ```" + language.id() + " block");
        }
        if (untagged != null) {
            return new Code(untagged, "last untagged ``` block");
        }
        return new Code(candidate, "whole candidate (no fenced block)");
    }

    private static boolean closes(String line, String fence) {
        String s = line.strip();
        if (s.length() < fence.length() || s.charAt(0) != fence.charAt(0)) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) != fence.charAt(0)) {
                return false;
            }
        }
        return true;
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
