package dev.verigen.orchestrator.access;

import dev.verigen.support.access.Scope;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling: the tenant every resource of the request belongs to, the key that proved it, and the key's scopes.
 * Controllers take it as a parameter ({@link CallerResolver}); a resource of another tenant is reported as not found,
 * never shown.
 *
 * @param keyId  the API key's public id; null for the configured anonymous tenant (tests, a gateway-less dev setup)
 * @param scopes what the key may do, as the gateway vouched for them; the anonymous caller of a gateway-less setup has
 *               every scope (it can already act for the anonymous tenant without any key)
 */
public record Caller(String tenant, String keyId, Set<Scope> scopes) {

    public Caller {
        scopes = scopes == null || scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** A caller with every scope: the anonymous tenant of a gateway-less setup. */
    public Caller(String tenant, String keyId) {
        this(tenant, keyId, EnumSet.allOf(Scope.class));
    }

    /** A platform operator: sees and manages every tenant, not only its own. */
    public boolean isOperator() {
        return scopes.contains(Scope.OPERATOR);
    }

    /**
     * Whether the caller may manage {@code tenant}'s keys, budget and settings: an operator any tenant, a tenant admin
     * only its own.
     */
    public boolean administers(String tenant) {
        return isOperator() || scopes.contains(Scope.ADMIN) && this.tenant.equals(tenant);
    }
}
