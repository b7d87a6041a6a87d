package dev.verigen.gateway.limits;

import dev.verigen.gateway.access.AccessPolicy;
import dev.verigen.gateway.access.Credentials;
import dev.verigen.gateway.config.GatewayProperties;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The global body limit, {@code verigen.gateway.max-request-body-size}, for requests that carry no credentials and
 * for public paths, applied before authentication: an anonymous client cannot make the gateway read more than
 * that. Requests with a key get their key's limit once it is known (ApiKeyAuthenticationFilter).
 */
@Component
public class RequestBodyLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;
    private final AccessPolicy policy;

    public RequestBodyLimitFilter(GatewayProperties properties, AccessPolicy policy) {
        this.maxBytes = properties.maxRequestBodySize().toBytes();
        this.policy = policy;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (Credentials.presented(exchange.getRequest().getHeaders()) && !policy.isPublic(exchange.getRequest().getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        return BodyLimit.apply(exchange, chain, maxBytes);
    }
}
