package dev.verigen.orchestrator.access;

import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes sure the configured bootstrap key ({@code verigen.orchestrator.access.bootstrap-key}, env
 * {@code VERIGEN_BOOTSTRAP_KEY}) exists as a key of the default tenant with every scope, {@code operator} included:
 * how the platform operator first gets in. Runs
 * after Flyway (migrations run while the context starts, runners after it has started) and before the instance
 * reports ready.
 *
 * <ul>
 *   <li>Idempotent, across restarts and across instances starting at once: an insert that does nothing when the id
 *       exists, then a check of what is stored.</li>
 *   <li>A key that exists is left as it is: limits an operator changed stay changed, and <b>a revoked bootstrap key
 *       stays revoked</b> (a warning says so), so revoking it is how it is retired once real admin keys exist;
 *       a new bootstrap key needs a new token.</li>
 *   <li>Start-up fails when the value is not a token, or when its id is stored with another secret or for another
 *       tenant: the configured key would not work, and taking over another key is never right.</li>
 * </ul>
 * The secret is never logged, not even in a failure; the key's id is public and is.
 */
@Component
class BootstrapAdminKey implements ApplicationRunner {

    static final String TENANT = "default";
    static final String NAME = "bootstrap admin";
    // generous, so an operator scripting the first tenants and keys is not slowed, yet not unlimited
    static final int REQUESTS_PER_MINUTE = 6000;
    static final int BURST = 1000;

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final AccessProperties properties;
    private final ApiKeyRepository keys;

    BootstrapAdminKey(AccessProperties properties, ApiKeyRepository keys) {
        this.properties = properties;
        this.keys = keys;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.hasBootstrapKey()) {
            ensure(properties.bootstrapKey());
        }
    }

    void ensure(String token) {
        ApiKeyTokens.Presented key = ApiKeyTokens.parse(token).orElseThrow(() -> new IllegalStateException(
                "verigen.orchestrator.access.bootstrap-key (VERIGEN_BOOTSTRAP_KEY) is not an API key: expected "
                + "vg_<12 characters a-z0-9>_<43 characters base64url>, e.g. from ./verigen up (the value is not shown)"));
        boolean created = keys.insert(new ApiKeyRepository.NewRow(key.id(), TENANT, NAME, key.secretHash(),
                List.of(Scope.values()), REQUESTS_PER_MINUTE, BURST, null));
        ApiKeyRepository.Owner stored = keys.owner(key.id()).orElseThrow();
        if (!TENANT.equals(stored.tenant()) || !ApiKeyTokens.matches(key, stored.secretHash())) {
            throw new IllegalStateException("the bootstrap key's id " + key.id() + " belongs to another key (another "
                    + "secret or tenant); configure a newly generated bootstrap key");
        }
        if (stored.revokedAt() != null) {
            log.warn("bootstrap admin key {} was revoked at {} and stays revoked; configure a new one to get an admin "
                     + "key this way again", key.id(), stored.revokedAt());
        } else if (!created && keys.grant(key.id(), Scope.OPERATOR)) {
            // made before the operator / tenant-admin split: the bootstrap key is the platform operator's
            log.info("bootstrap admin key {} is in place (tenant {}) and now has the 'operator' scope", key.id(),
                    TENANT);
        } else if (created) {
            log.info("bootstrap admin key {} created (tenant {}, every scope)", key.id(), TENANT);
        } else {
            log.info("bootstrap admin key {} is in place (tenant {})", key.id(), TENANT);
        }
    }
}
