package dev.verigen.verifier.answers;

/**
 * An answer read out of a candidate.
 *
 * @param answer the answer text, trimmed
 * @param method where it came from
 * @param source a short excerpt of the candidate around the answer, for evidence
 */
public record Extraction(String answer, Method method, String source) {

    public enum Method {
        BOXED, MARKER, LAST_NUMBER
    }
}
