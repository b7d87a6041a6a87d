package dev.verigen.gateway.config;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway.
 *
 * @param orchestratorUrl    where {@code /v1/**} is routed; also used to recognise Location headers to rewrite
 * @param verifierUrl        where {@code /v1/verifications} and {@code /v1/verifiers} are routed (verifier-svc)
 * @param maxRequestBodySize largest request body accepted from a request without a key of its own limit (an API key's
 *                           {@code max_body_bytes} replaces it); larger ones get 413 problem+json
 */
@Validated
@ConfigurationProperties("verigen.gateway")
public record GatewayProperties(
        @NotNull URI orchestratorUrl,
        @NotNull @DefaultValue("http://localhost:8085") URI verifierUrl,
        @NotNull @DefaultValue("1MB") DataSize maxRequestBodySize) {

    public GatewayProperties {
        if (maxRequestBodySize != null && maxRequestBodySize.toBytes() < 0) {
            throw new IllegalArgumentException("verigen.gateway.max-request-body-size must not be negative");
        }
    }
}
