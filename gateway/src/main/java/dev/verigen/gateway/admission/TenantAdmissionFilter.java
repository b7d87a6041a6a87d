package dev.verigen.gateway.admission;

import dev.verigen.gateway.access.ApiKeyAuthenticationFilter;
import dev.verigen.gateway.access.AuthenticatedKey;
import dev.verigen.gateway.errors.GatewayProblemException;
import dev.verigen.support.problems.ApiProblem;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Bounds one tenant's API requests in flight on this instance ({@link AdmissionProperties#maxInFlightPerTenant()}),
 * once its key is known: a tenant that floods the gateway is told to slow down (429) while the others keep their
 * share of the instance's slots.
 */
@Component
public class TenantAdmissionFilter implements WebFilter, Ordered {

    private final InFlight inFlight;
    private final AdmissionProperties limits;
    private final KnownKeys knownKeys;

    public TenantAdmissionFilter(InFlight inFlight, AdmissionProperties limits, KnownKeys knownKeys) {
        this.inFlight = inFlight;
        this.limits = limits;
        this.knownKeys = knownKeys;
    }

    @Override
    public int getOrder() {
        return ApiKeyAuthenticationFilter.ORDER + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AuthenticatedKey key = exchange.getAttribute(AuthenticatedKey.ATTRIBUTE);
        if (key == null || !InstanceAdmissionFilter.API.matches(exchange.getRequest().getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        String tenant = key.tenant();
        knownKeys.learn(key.keyId(), tenant);
        if (!inFlight.enterTenant(tenant)) {
            return Mono.error(tenantFull(tenant, limits));
        }
        return chain.filter(exchange).doFinally(signal -> inFlight.leaveTenant(tenant));
    }

    static GatewayProblemException tenantFull(String tenant, AdmissionProperties limits) {
        return new GatewayProblemException(ApiProblem.rateLimited("Tenant " + tenant + " has "
                + limits.maxInFlightPerTenant() + " requests in flight on this gateway, its limit. Retry later.",
                limits.retryAfter()));
    }
}
