package dev.verigen.reward.sim;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Knobs of the SIMULATED outcome reward model {@code sim-orm}.
 *
 * @param seed           mixed into every score's noise; change it to get a different but equally reproducible model
 * @param separation     logit gap between correct and wrong candidates: 0 makes the model blind (AUC 0.5), the default
 *                       1.5 gives an AUC of about 0.86 at noise 1, near what real outcome reward models reach on math
 * @param noise          standard deviation of the Gaussian logit noise
 * @param latencyPerItem simulated engine time per scored candidate
 */
@Validated
@ConfigurationProperties("verigen.reward.sim")
public record SimOrmProperties(
        @DefaultValue("42") long seed,
        @DefaultValue("1.5") @DecimalMin("0.0") double separation,
        @DefaultValue("1.0") @DecimalMin(value = "0.0", inclusive = false) double noise,
        @DefaultValue("1ms") @NotNull Duration latencyPerItem) {
}
