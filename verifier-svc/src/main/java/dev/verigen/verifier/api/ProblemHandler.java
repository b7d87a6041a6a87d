package dev.verigen.verifier.api;

import dev.verigen.verifier.answers.Text;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The orchestrator's error model, here too: RFC 9457 problem+json with a stable {@code type}
 * ({@code urn:verigen:problem:<slug>}), a human {@code detail} and, for invalid input, {@code field} and
 * {@code errors[]}. Nothing internal (stack traces, class names, hosts) leaks; text quoted from the request is
 * sanitised so the problem itself always encodes.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    static final String TYPE_PREFIX = "urn:verigen:problem:";

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        return respond(problem.status(), problem.slug(), problem.title(), problem.getMessage(), problem.errors());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected error", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "the request could not be completed; it has been logged", List.of());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return cast(respond(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request body",
                "the body is not valid JSON (or is empty)", List.of(new FieldError("$", "not valid JSON"))));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail detail) {
            detail.setType(URI.create(TYPE_PREFIX + slugFor(statusCode)));
        }
        return response;
    }

    private static String slugFor(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity) response;
    }

    static ResponseEntity<ProblemDetail> respond(HttpStatus status, String slug, String title, String detail,
                                                 List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, Text.sanitize(detail));
        problem.setType(URI.create(TYPE_PREFIX + slug));
        problem.setTitle(title);
        if (!errors.isEmpty()) {
            List<FieldError> clean = errors.stream()
                    .map(e -> new FieldError(Text.sanitize(e.field()), Text.sanitize(e.message()))).toList();
            problem.setProperty("field", clean.getFirst().field());
            problem.setProperty("errors", clean);
        }
        var response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.CONTENT_TOO_LARGE) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.body(problem);
    }
}
