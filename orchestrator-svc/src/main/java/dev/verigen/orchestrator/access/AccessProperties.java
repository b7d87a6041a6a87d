package dev.verigen.orchestrator.access;

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
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.access")
public record AccessProperties(String gatewaySecret,
                               @Pattern(regexp = "|[a-z0-9][a-z0-9_-]{0,63}") String anonymousTenant,
                               String bootstrapKey) {

    public boolean hasAnonymousTenant() {
        return anonymousTenant != null && !anonymousTenant.isBlank();
    }

    public boolean hasGatewaySecret() {
        return gatewaySecret != null && !gatewaySecret.isBlank();
    }
}
