package dev.verigen.gateway.errors;

import org.springframework.http.HttpStatus;

/**
 * A failure the gateway reports itself, with a detail that is safe to show to clients
 * (no hostnames, no exception names).
 */
public class GatewayProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;

    public GatewayProblemException(HttpStatus status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
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

    public String detail() {
        return getMessage();
    }
}
