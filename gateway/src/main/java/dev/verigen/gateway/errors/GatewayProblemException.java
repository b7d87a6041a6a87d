package dev.verigen.gateway.errors;

import dev.verigen.support.problems.ApiProblem;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure the gateway reports itself: the platform's {@link ApiProblem} (so slugs, titles and the body shape are
 * the same as in every servlet service) plus the headers that belong to it ({@code WWW-Authenticate}, rate-limit
 * state). Details are safe to show to clients: no hostnames, no exception names.
 */
public class GatewayProblemException extends RuntimeException {

    private final ApiProblem problem;
    private final HttpHeaders headers;

    public GatewayProblemException(ApiProblem problem, HttpHeaders headers) {
        super(problem.getMessage(), null, false, false);
        this.problem = problem;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    public GatewayProblemException(ApiProblem problem) {
        this(problem, new HttpHeaders());
    }

    public GatewayProblemException(HttpStatus status, String slug, String title, String detail) {
        this(new ApiProblem(status, slug, title, detail, List.of()));
    }

    public ApiProblem problem() {
        return problem;
    }

    public HttpStatus status() {
        return problem.status();
    }

    /** Headers to send with the problem, besides {@code Retry-After}; every other response header is dropped. */
    public HttpHeaders headers() {
        return headers;
    }
}
