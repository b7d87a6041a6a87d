package dev.verigen.gateway.admission;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many API requests one gateway instance lets through to the services at once. A request is in flight from its
 * admission until its response ends (a long-poll while it waits, an event stream while it is open).
 *
 * @param maxInFlight          this instance's bound over every tenant: past it, 503 with {@code Retry-After}, before
 *                             the key is even checked (a refusal then costs no database query)
 * @param maxInFlightPerTenant one tenant's bound on this instance, so that one tenant's flood cannot take every slot:
 *                             past it, 429 with {@code Retry-After}
 * @param retryAfter           what a refused client is told to wait (whole seconds, at least one)
 */
@Validated
@ConfigurationProperties("verigen.gateway.admission")
public record AdmissionProperties(
        @Min(1) @Max(1_000_000) @DefaultValue("1024") int maxInFlight,
        @Min(1) @Max(1_000_000) @DefaultValue("512") int maxInFlightPerTenant,
        @NotNull @DefaultValue("1s") Duration retryAfter) {
}
