package dev.verigen.gateway.access;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call what through the gateway. Patterns are Spring {@code PathPattern}s ({@code /v1/runs/**} also matches
 * {@code /v1/runs}); the defaults are in application.yml.
 *
 * @param publicPaths   answered without an API key
 * @param scopes        scope wire name ({@code runs}, {@code experiments}, {@code admin}) → the paths that need it;
 *                      where patterns of several scopes match, the most specific pattern decides. Any other
 *                      path needs a valid key of any scope
 * @param gatewaySecret sent upstream as {@code X-Verigen-Gateway-Secret} so services can tell the gateway's
 *                      identity headers from forged ones; blank: not sent
 */
@Validated
@ConfigurationProperties("verigen.gateway.access")
public record AccessProperties(
        @NotNull List<String> publicPaths,
        @NotNull Map<String, List<String>> scopes,
        String gatewaySecret) {

    public AccessProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        scopes = scopes == null ? Map.of() : Map.copyOf(scopes);
        gatewaySecret = gatewaySecret == null || gatewaySecret.isBlank() ? null : gatewaySecret;
    }
}
