package dev.verigen.support.problems;

import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with what is wrong in it. Every service renders it the same way ({@link Problems}):
 * RFC 9457 problem+json whose {@code type} is {@code urn:verigen:problem:<slug>}, stable across releases.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    public ApiProblem(HttpStatus status, String slug, String title, String detail, List<FieldError> errors) {
        this(status, slug, title, detail, errors, null);
    }

    private ApiProblem(HttpStatus status, String slug, String title, String detail, List<FieldError> errors,
                       Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid; the first is " + errors.getFirst().field() + ": "
                  + errors.getFirst().message();
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail, errors);
    }

    public static ApiProblem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiProblem malformed(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request body", detail,
                List.of(new FieldError("$", detail)));
    }

    public static ApiProblem tooLarge(String field, String detail) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large", detail,
                field == null ? List.of() : List.of(new FieldError(field, detail)));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of());
    }

    /** No credentials, or credentials that are not (or no longer) a key. */
    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail,
                List.of(new FieldError("Authorization", detail)));
    }

    /** A valid key that lacks the scope the endpoint needs. */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, List.of());
    }

    public static ApiProblem rateLimited(String detail, Duration retryAfter) {
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", detail, List.of(),
                retryAfter);
    }

    /** This instance is at its capacity: the same request may succeed after {@code retryAfter}, here or elsewhere. */
    public static ApiProblem overloaded(String detail, Duration retryAfter) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service Unavailable", detail, List.of(),
                retryAfter);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** How long a rate-limited caller should wait; null when not rate limited. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
