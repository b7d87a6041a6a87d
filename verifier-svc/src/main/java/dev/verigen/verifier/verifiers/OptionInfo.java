package dev.verigen.verifier.verifiers;

/**
 * What {@code GET /v1/verifiers} says about one option of a verifier.
 *
 * @param type         the form of the value, e.g. {@code boolean}, {@code number}, {@code string}, {@code json}
 * @param defaultValue the value used when the option is absent; null when there is none (required or computed)
 */
public record OptionInfo(String name, String type, String defaultValue, String description) {
}
