package dev.verigen.support.access.servlet;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call a service behind the gateway ({@code verigen.service-access.*}, in every service's application.yml).
 *
 * @param gatewaySecret the gateway's credential ({@code VERIGEN_GATEWAY_SECRET}); every request outside
 *                      {@code openPaths} must carry it
 * @param development   start without a secret and let every request in ({@code VERIGEN_INSECURE_DEVELOPMENT});
 *                      never in a deployment
 * @param openPaths     answered without the credential: the health probes (Spring {@code PathPattern}s)
 */
@Validated
@ConfigurationProperties("verigen.service-access")
public record ServiceAccessProperties(String gatewaySecret, boolean development, @NotNull List<String> openPaths) {

    public ServiceAccessProperties {
        openPaths = openPaths == null ? List.of("/actuator/health", "/actuator/health/**") : List.copyOf(openPaths);
    }
}
