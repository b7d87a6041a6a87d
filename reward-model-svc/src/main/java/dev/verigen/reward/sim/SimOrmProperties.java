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
 * @param sharedErrors   how much the model shares the sampler's blind spots: a wrong answer that is one of the task's
 *                       misconceptions gets {@code sharedErrors × separation × appeal} on the logit (0: every wrong
 *                       answer is rated alike; 1: the most appealing misconception rates like a right answer)
 * @param latencyPerItem simulated engine time per scored candidate
 */
@Validated
@ConfigurationProperties("verigen.reward.sim")
public record SimOrmProperties(
        @DefaultValue("42") long seed,
        @DefaultValue("1.5") @DecimalMin("0.0") double separation,
        @DefaultValue("1.0") @DecimalMin(value = "0.0", inclusive = false) double noise,
        @DefaultValue("0.5") @DecimalMin("0.0") @jakarta.validation.constraints.DecimalMax("1.0") double sharedErrors,
        @DefaultValue("1ms") @NotNull Duration latencyPerItem) {

    /** Settings whose errors are independent of the sampler's ({@code sharedErrors} 0). */
    public static SimOrmProperties independent(long seed, double separation, double noise, Duration latencyPerItem) {
        return new SimOrmProperties(seed, separation, noise, 0.0, latencyPerItem);
    }
}
