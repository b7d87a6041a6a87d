package dev.verigen.gateway.errors;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.Problems;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every failure that reaches the edge into RFC 9457 {@code application/problem+json} in the platform's one
 * shape ({@link Problems#body}: {@code type} {@code urn:verigen:problem:<slug>}, {@code title}, {@code status},
 * {@code detail}, {@code field}/{@code errors[]} and the OpenAI-style {@code error} member), exactly as the servlet
 * services write it. Details are written for clients: never exception names, stack traces or internal hostnames.
 * Ordered before Spring Boot's default handler (order -1).
 */
@Component
@Order(-2)
public class ProblemDetailsExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

    private final JsonMapper jsonMapper;

    public ProblemDetailsExceptionHandler(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        GatewayProblemException failure = classify(ex, exchange);
        ApiProblem problem = failure.problem();
        byte[] bytes = jsonMapper.writeValueAsBytes(Problems.body(problem));
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        // whatever an upstream or an earlier filter put there does not describe this answer
        headers.clear();
        headers.addAll(failure.headers());
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(bytes.length);
        headers.setCacheControl("no-store");
        if (problem.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(problem.retryAfter()));
        }
        if (problem.status().value() == 413) {
            // the rest of the body is not read; make the client open a fresh connection
            headers.setConnection("close");
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    GatewayProblemException classify(Throwable ex, ServerWebExchange exchange) {
        if (ex instanceof GatewayProblemException own) {
            return own;
        }
        if (ex instanceof ApiProblem problem) {
            return new GatewayProblemException(problem);
        }
        String service = serviceOf(exchange);
        if (hasCause(ex, ConnectException.class) || hasCause(ex, UnknownHostException.class)
                || hasCause(ex, NoRouteToHostException.class)) {
            log.warn("Orchestrator unreachable for {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), ex.toString());
            return new GatewayProblemException(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                    "Service Unavailable", "The " + service + " is not reachable right now. Retry later.");
        }
        if (hasCause(ex, TimeoutException.class) || hasCauseNamed(ex, "io.netty.handler.timeout.ReadTimeoutException")) {
            log.warn("Orchestrator timed out for {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath());
            return new GatewayProblemException(HttpStatus.GATEWAY_TIMEOUT, "gateway-timeout",
                    "Gateway Timeout", "The " + service + " did not answer in time. Retry later.");
        }
        if (hasCauseNamed(ex, "reactor.netty.http.client.PrematureCloseException")) {
            log.warn("Orchestrator closed the connection for {} {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath());
            return new GatewayProblemException(HttpStatus.BAD_GATEWAY, "bad-gateway",
                    "Bad Gateway", "The " + service + " closed the connection before answering.");
        }
        if (ex instanceof ResponseStatusException rse) {
            return fromStatus(rse.getStatusCode(), exchange);
        }
        log.error("Unexpected failure for {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return new GatewayProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "Internal Server Error", "The gateway could not handle the request.");
    }

    /** How problems name the service behind the matched route; never a host or port. */
    private static String serviceOf(ServerWebExchange exchange) {
        Object route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route instanceof Route r && r.getId().startsWith("verifier") ? "verifier service" : "run service";
    }

    private static GatewayProblemException fromStatus(HttpStatusCode code, ServerWebExchange exchange) {
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null) {
            status = code.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String detail = switch (status) {
            case NOT_FOUND -> "No resource at " + exchange.getRequest().getPath().value() + ".";
            case METHOD_NOT_ALLOWED -> "Method " + exchange.getRequest().getMethod() + " is not allowed here.";
            case UNSUPPORTED_MEDIA_TYPE -> "The request's content type is not supported.";
            case CONTENT_TOO_LARGE -> "The request body is too large.";
            case GATEWAY_TIMEOUT -> "The run service did not answer in time. Retry later.";
            case SERVICE_UNAVAILABLE -> "The run service is not reachable right now. Retry later.";
            default -> status.is4xxClientError() ? "The request could not be processed."
                    : "The gateway could not handle the request.";
        };
        return new GatewayProblemException(status, Problems.slugFor(status.value()), status.getReasonPhrase(), detail);
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCauseNamed(Throwable ex, String className) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals(className)) {
                    return true;
                }
            }
        }
        return false;
    }
}
