package dev.verigen.contracts.testing.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * One hostile request body.
 *
 * @param description what was done where, e.g. {@code wrong type at $.pipeline.n: "x"}; short enough for a report
 * @param body        the exact bytes to send (not necessarily UTF-8, not necessarily JSON)
 */
public record FuzzCase(FuzzKind kind, String description, byte[] body) {

    /** The body for a log line: UTF-8 with replacement characters, cut to {@code max} characters. */
    public String excerpt(int max) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= max ? text : text.substring(0, max) + "... (" + body.length + " bytes)";
    }

    @Override
    public String toString() {
        return kind + " " + description + " (" + body.length + " bytes)";
    }
}
