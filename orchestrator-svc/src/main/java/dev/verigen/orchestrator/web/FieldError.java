package dev.verigen.orchestrator.web;

/** One problem with a request, named by its JSON path (e.g. {@code pipeline.n}). */
public record FieldError(String field, String message) {
}
