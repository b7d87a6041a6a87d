package dev.verigen.gateway.admission;

import dev.verigen.gateway.access.AccessPolicy;
import dev.verigen.gateway.access.Credentials;
import dev.verigen.support.access.ApiKeyTokens;
import java.util.Optional;
import dev.verigen.gateway.errors.GatewayProblemException;
import dev.verigen.support.problems.ApiProblem;
import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Bounds the API requests this instance has in flight ({@link AdmissionProperties#maxInFlight()}) before the key
 * check: a client told to come back later costs no database query, and what the services behind are asked to hold
 * at once (parked long-polls, queued requests) stays bounded however many clients call. Public paths are not
 * counted; neither are the dashboard's pages, whose API calls come back through this gateway and are counted then.
 * A request whose key id is known ({@link KnownKeys}) and whose tenant has all its slots taken is refused here too
 * (429), without a key check.
 */
@Component
public class InstanceAdmissionFilter implements WebFilter, Ordered {

    /** After the anonymous body limit, before authentication. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 15;

    static final PathPattern API = PathPatternParser.defaultInstance.parse("/v1/**");

    private final InFlight inFlight;
    private final AccessPolicy policy;
    private final AdmissionProperties limits;
    private final KnownKeys knownKeys;

    public InstanceAdmissionFilter(InFlight inFlight, AccessPolicy policy, AdmissionProperties limits,
                                   KnownKeys knownKeys) {
        this.inFlight = inFlight;
        this.policy = policy;
        this.limits = limits;
        this.knownKeys = knownKeys;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (!API.matches(path) || policy.isPublic(path)) {
            return chain.filter(exchange);
        }
        Optional<String> tenant = Credentials.token(exchange.getRequest().getHeaders()).flatMap(ApiKeyTokens::parse)
                .flatMap(presented -> knownKeys.tenantOf(presented.id()));
        if (tenant.isPresent() && inFlight.tenantFull(tenant.get())) {
            return Mono.error(TenantAdmissionFilter.tenantFull(tenant.get(), limits));
        }
        if (!inFlight.enterInstance()) {
            return Mono.error(new GatewayProblemException(ApiProblem.overloaded("This gateway has "
                    + limits.maxInFlight() + " requests in flight, its limit. Retry later.", limits.retryAfter())));
        }
        return chain.filter(exchange).doFinally(signal -> inFlight.leaveInstance());
    }
}
