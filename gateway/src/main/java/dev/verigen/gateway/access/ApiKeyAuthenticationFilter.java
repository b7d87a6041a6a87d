package dev.verigen.gateway.access;

import dev.verigen.gateway.config.GatewayProperties;
import dev.verigen.gateway.errors.GatewayProblemException;
import dev.verigen.gateway.limits.BodyLimit;
import dev.verigen.support.access.IdentityHeaders;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.access.GatewayCredential;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The front door: every request that is not to a public path needs an API key that the {@link Gatekeeper} admits.
 * Whatever identity a client sends itself ({@link IdentityHeaders}) and its credentials are removed from every
 * request; an admitted one carries the gateway's identity headers upstream instead, gets its key's body limit, and
 * its response reports the key's rate-limit state ({@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}).
 * Paths outside every scope rule (any {@code /v1/} path the rules do not name, and anything else that is not
 * public) need a valid key of any scope: deny by default.
 */
@Component
public class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    /** After the global body limit for requests without credentials (RequestBodyLimitFilter). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);
    private static final PathPattern ACTUATOR = PathPatternParser.defaultInstance.parse("/actuator/**");

    private final AccessPolicy policy;
    private final Gatekeeper gatekeeper;
    private final long defaultMaxBodyBytes;
    private final GatewayCredential credential;

    /**
     * @throws IllegalStateException without a gateway secret, unless the development flag is set: the services
     *                               behind would refuse every request (or, in development, take anyone's)
     */
    public ApiKeyAuthenticationFilter(AccessPolicy policy, Gatekeeper gatekeeper, GatewayProperties gateway,
                                      AccessProperties access) {
        this.policy = policy;
        this.gatekeeper = gatekeeper;
        this.defaultMaxBodyBytes = gateway.maxRequestBodySize().toBytes();
        this.credential = GatewayCredential.of(access.gatewaySecret(), access.development(), "gateway");
        if (!credential.required()) {
            log.warn("{} is unset and {}=true: services behind this gateway cannot tell it from anyone else "
                     + "(development only)", GatewayCredential.SECRET_VARIABLE, GatewayCredential.DEVELOPMENT_VARIABLE);
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Optional<String> violation = CanonicalPath.violation(request.getPath());
        if (violation.isPresent()) {
            return Mono.error(new GatewayProblemException(ApiProblem.invalid("path", violation.get())));
        }
        PathContainer path = request.getPath().pathWithinApplication();
        if (policy.isPublic(path)) {
            return chain.filter(withIdentity(exchange, null));
        }
        if (ACTUATOR.matches(path)) {
            // the gateway's own metrics and the like: for the platform's scraper (the gateway secret as a bearer
            // token) only, never for a client, whatever its key
            return credential.required() && credential.admits(null, request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                    ? chain.filter(withIdentity(exchange, null))
                    : Mono.error(new GatewayProblemException(ApiProblem.notFound("No such resource: " + path.value())));
        }
        return gatekeeper.admit(Credentials.token(request.getHeaders()), policy.requiredScope(path), path.value(),
                        clientAddress(request))
                .flatMap(key -> {
                    exchange.getAttributes().put(AuthenticatedKey.ATTRIBUTE, key);
                    exchange.getResponse().beforeCommit(() -> {
                        // at commit, so it survives both the upstream's headers and an error handler's reset
                        HttpHeaders headers = exchange.getResponse().getHeaders();
                        headers.set(Gatekeeper.RATE_LIMIT_LIMIT, Integer.toString(key.requestsPerMinute()));
                        headers.set(Gatekeeper.RATE_LIMIT_REMAINING, Integer.toString(key.remaining()));
                        return Mono.empty();
                    });
                    long maxBody = key.maxBodyBytes() != null ? key.maxBodyBytes() : defaultMaxBodyBytes;
                    return BodyLimit.apply(withIdentity(exchange, key), chain, maxBody);
                });
    }

    /** The request as it goes on: client-sent identity and credentials removed, the gateway's own identity set. */
    private ServerWebExchange withIdentity(ServerWebExchange exchange, AuthenticatedKey key) {
        ServerHttpRequest request = exchange.getRequest().mutate().headers(headers -> {
            IdentityHeaders.ALL.forEach(headers::remove); // HttpHeaders names are case-insensitive
            headers.remove(HttpHeaders.AUTHORIZATION);
            headers.remove(Credentials.API_KEY_HEADER);
            if (key != null) {
                headers.set(IdentityHeaders.TENANT, key.tenant());
                headers.set(IdentityHeaders.KEY_ID, key.keyId());
                headers.set(IdentityHeaders.SCOPES, key.scopesHeader());
            }
            // on every request that goes upstream: the services behind answer nothing else
            credential.secret().ifPresent(secret -> headers.set(IdentityHeaders.GATEWAY_SECRET, secret));
        }).build();
        return exchange.mutate().request(request).build();
    }

    /**
     * The address failed key checks are counted against: the peer's, or the client's as a trusted proxy reports it
     * where {@code server.forward-headers-strategy} is set (behind an ingress every client would otherwise share one).
     */
    private static String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
