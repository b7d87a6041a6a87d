package dev.verigen.verifier.api;

/** One problem with a request, named by its JSON path (e.g. {@code verifier.type}). */
public record FieldError(String field, String message) {
}
