package dev.verigen.verifier;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxScanChars     how much of the end of a candidate answer extraction reads; final answers sit at the end,
 *                         and capping the scan keeps a multi-megabyte candidate from costing more than a small one
 * @param defaultTolerance absolute tolerance of {@code numeric} when a job sets none
 */
@Validated
@ConfigurationProperties("verigen.verifier")
public record VerifierProperties(
        @DefaultValue("65536") @Min(256) int maxScanChars,
        @DefaultValue("1e-6") @PositiveOrZero double defaultTolerance) {
}
