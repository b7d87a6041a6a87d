package dev.verigen.gateway.access;

import dev.verigen.support.access.Scope;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The key a request was admitted with; kept as an exchange attribute ({@link #ATTRIBUTE}) for the rest of the chain.
 *
 * @param maxBodyBytes the key's own body limit; null: the gateway's default
 * @param remaining    requests the key may still make at once
 */
public record AuthenticatedKey(String keyId, String tenant, Set<Scope> scopes, int requestsPerMinute, int remaining,
                               Long maxBodyBytes) {

    public static final String ATTRIBUTE = AuthenticatedKey.class.getName();

    /** The scopes as {@code X-Verigen-Scopes} carries them: wire names, comma-separated, in a stable order. */
    public String scopesHeader() {
        return scopes.stream().sorted().map(Scope::wire).collect(Collectors.joining(","));
    }
}
