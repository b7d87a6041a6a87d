package dev.verigen.orchestrator.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of access ({@code verigen.orchestrator.access.*}); blank values mean unset, so each may come from an empty
 * environment variable. The gateway checks API keys and passes the caller on
 * in {@link dev.verigen.support.access.IdentityHeaders}; the orchestrator is not meant to be reachable otherwise.
 *
 * @param gatewaySecret   when set, identity headers count only with this shared secret beside them, so a client
 *                        that reaches the orchestrator directly cannot claim a tenant
 * @param anonymousTenant when set, a request without identity headers acts for this tenant (tests and a
 *                        gateway-less development setup); unset, such a request is refused with 401
 * @param bootstrapKey    a full API key ({@code vg_<id>_<secret>}) made sure to exist at start-up as an admin key of
 *                        the default tenant with every scope: how the first admin gets in ({@code ./verigen up}
 *                        generates one for development; a deployment passes its own from a secret)
 * @param keyDefaults     limits of a new key whose request leaves them out
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.access")
public record AccessProperties(String gatewaySecret,
                               @Pattern(regexp = "|[a-z0-9][a-z0-9_-]{0,63}") String anonymousTenant,
                               String bootstrapKey, @Valid KeyDefaults keyDefaults) {

    public AccessProperties {
        keyDefaults = keyDefaults == null ? KeyDefaults.STANDARD : keyDefaults;
    }

    public boolean hasAnonymousTenant() {
        return anonymousTenant != null && !anonymousTenant.isBlank();
    }

    public boolean hasGatewaySecret() {
        return gatewaySecret != null && !gatewaySecret.isBlank();
    }

    public boolean hasBootstrapKey() {
        return bootstrapKey != null && !bootstrapKey.isBlank();
    }

    /**
     * @param maxBodyBytes null: the gateway's own default request-size limit applies to the key
     */
    public record KeyDefaults(@Min(1) @Max(KeyLimits.MAX_REQUESTS_PER_MINUTE) int requestsPerMinute,
                              @Min(1) @Max(KeyLimits.MAX_BURST) int burst,
                              @Min(1) @Max(KeyLimits.MAX_BODY_BYTES) Long maxBodyBytes) {

        static final KeyDefaults STANDARD = new KeyDefaults(600, 100, null);
    }
}
