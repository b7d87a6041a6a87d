package dev.verigen.gateway.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
 * @param gatewaySecret sent upstream as {@code X-Verigen-Gateway-Secret} on every request, so the services behind
 *                      the gateway can tell it from anyone else who reaches their ports; also the credential a
 *                      metrics scraper presents ({@code Authorization: Bearer <secret>}) for the gateway's own
 *                      actuator endpoints other than health
 * @param development   start without a gateway secret (development only: the services behind then let anyone in)
 * @param failedChecks  how many failed key checks one client address may make before it is refused without a
 *                      database query
 */
@Validated
@ConfigurationProperties("verigen.gateway.access")
public record AccessProperties(
        @NotNull List<String> publicPaths,
        @NotNull Map<String, List<String>> scopes,
        String gatewaySecret,
        boolean development,
        @Valid FailedChecks failedChecks) {

    public AccessProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        scopes = scopes == null ? Map.of() : Map.copyOf(scopes);
        gatewaySecret = gatewaySecret == null || gatewaySecret.isBlank() ? null : gatewaySecret;
        failedChecks = failedChecks == null ? FailedChecks.STANDARD : failedChecks;
    }

    /**
     * A token bucket per client address, spent only by failed key checks (a missing, malformed, unknown, wrong or
     * revoked key): {@code burst} failures at once, then {@code perMinute}. An address whose bucket is empty is
     * answered 429 before its key is looked up, so a flood of guessed keys costs no database query each.
     *
     * @param maxAddresses addresses remembered at most (memory bound); beyond it, addresses whose buckets have
     *                     refilled are forgotten first, and if none has, the oldest are
     */
    public record FailedChecks(@Min(1) @Max(100_000) int perMinute, @Min(1) @Max(100_000) int burst,
                               @Min(100) @Max(10_000_000) int maxAddresses) {

        static final FailedChecks STANDARD = new FailedChecks(60, 20, 100_000);
    }
}
