package dev.verigen.gateway.admission;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The tenant of each API key id this instance has admitted a request of. A key's tenant never changes, so a request
 * with a known key id whose tenant is already at its bound can be told to come back later before its key is checked:
 * under a flood of clients retrying, the refusals would otherwise cost a key-check query each (at 10,000 runs waited
 * on at once, 260,000 of them). The key check still decides everything else; this only refuses earlier.
 */
@Component
public class KnownKeys {

    /** Memory bound: past it the map starts afresh and relearns from the next admitted requests. */
    static final int MAX_KEYS = 100_000;

    private final ConcurrentHashMap<String, String> tenants = new ConcurrentHashMap<>();

    void learn(String keyId, String tenant) {
        if (tenants.size() >= MAX_KEYS && !tenants.containsKey(keyId)) {
            tenants.clear();
        }
        tenants.put(keyId, tenant);
    }

    Optional<String> tenantOf(String keyId) {
        return Optional.ofNullable(tenants.get(keyId));
    }
}
