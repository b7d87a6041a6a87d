package dev.verigen.support.problems.servlet;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import dev.verigen.support.problems.Problems;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error of a Spring MVC service in the one problem+json shape ({@link Problems}): refusals the code
 * raises ({@link ApiProblem}), the framework's own (unknown path, wrong method or media type, unreadable body) and
 * anything unexpected, which is logged here and answered without a stack trace, class name or host.
 */
@RestControllerAdvice
public class ServletProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ServletProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem problem) {
        return respond(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badPathOrQuery(MethodArgumentTypeMismatchException e) {
        String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
        return respond(ApiProblem.invalid(e.getName(), "not a valid " + type));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("unexpected error", e);
        return respond(new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "the request could not be completed; it has been logged", List.of()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return respond(new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request body",
                "the body is not valid JSON (or is empty)", List.of(new FieldError("$", "not valid JSON"))));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        int status = statusCode.value();
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 406 -> "no acceptable representation";
            case 415 -> "this content type is not supported here; send application/json";
            default -> title;
        };
        HttpHeaders out = new HttpHeaders();
        if (headers != null) {
            out.putAll(headers);
        }
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> problem = Problems.body(status, Problems.slugFor(status), title, detail, List.of());
        return ResponseEntity.status(status).headers(out).body(problem);
    }

    public static ResponseEntity<Object> respond(ApiProblem problem) {
        var response = ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(problem.retryAfter()));
        }
        if (problem.status() == HttpStatus.CONTENT_TOO_LARGE) {
            // the rest of an oversized body is not read; closing stops the client from sending it
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.body(Problems.body(problem));
    }
}
