package dev.verigen.reward.scoring;

import java.util.ArrayList;
import java.util.List;

/** Splits a candidate into reasoning steps for process reward models. */
public final class Steps {

    private Steps() {
    }

    /**
     * The candidate's steps: the text split at every {@code delimiter}, each step stripped, blank ones dropped (so
     * {@code "a\n\n\nb\n"} with delimiter {@code "\n"} is two steps). A text without the delimiter is one step; a blank
     * text has none.
     */
    public static List<String> split(String text, String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            throw new IllegalArgumentException("step delimiter must not be empty");
        }
        List<String> steps = new ArrayList<>();
        int from = 0;
        while (from <= text.length()) {
            int at = text.indexOf(delimiter, from);
            int end = at < 0 ? text.length() : at;
            String step = text.substring(from, end).strip();
            if (!step.isEmpty()) {
                steps.add(step);
            }
            if (at < 0) {
                break;
            }
            from = at + delimiter.length();
        }
        return steps;
    }

    /** YAML and environment variables carry {@code \n} literally; this turns the escapes into the characters. */
    public static String unescape(String delimiter) {
        return delimiter == null ? null : delimiter.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r");
    }
}
