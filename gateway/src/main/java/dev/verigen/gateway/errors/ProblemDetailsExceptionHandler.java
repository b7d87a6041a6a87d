package dev.verigen.gateway.errors;

import dev.verigen.gateway.config.GatewayProperties;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
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
 * Turns every failure that reaches the edge into RFC 9457 {@code application/problem+json}.
 * Details are written for clients: never exception names, stack traces or internal hostnames.
 * Ordered before Spring Boot's default handler (order -1).
 */
@Component
@Order(-2)
public class ProblemDetailsExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);
    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final JsonMapper jsonMapper;
    private final String typeBase;

    public ProblemDetailsExceptionHandler(JsonMapper jsonMapper, GatewayProperties properties) {
        this.jsonMapper = jsonMapper;
        this.typeBase = properties.problemTypeBase();
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        GatewayProblemException problem = classify(ex, exchange);
        Problem body = new Problem(typeBase + problem.slug(), problem.title(), problem.status().value(),
                problem.detail(), exchange.getRequest().getPath().value());
        byte[] bytes = jsonMapper.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.clear();
        headers.setContentType(PROBLEM_JSON);
        headers.setContentLength(bytes.length);
        headers.setCacheControl("no-store");
        if (problem.status() == HttpStatus.PAYLOAD_TOO_LARGE) {
            // the rest of the body is not read; make the client open a fresh connection
            headers.setConnection("close");
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    GatewayProblemException classify(Throwable ex, ServerWebExchange exchange) {
        if (ex instanceof GatewayProblemException own) {
            return own;
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
        return new GatewayProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
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
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            case GATEWAY_TIMEOUT -> "The run service did not answer in time. Retry later.";
            case SERVICE_UNAVAILABLE -> "The run service is not reachable right now. Retry later.";
            default -> status.is4xxClientError() ? "The request could not be processed."
                    : "The gateway could not handle the request.";
        };
        String slug = status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return new GatewayProblemException(status, slug, status.getReasonPhrase(), detail);
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
