package dev.verigen.support.problems;

/** One offending part of a request: a JSON path ({@code pipeline.n}), a header or a query parameter, and why. */
public record FieldError(String field, String message) {
}
