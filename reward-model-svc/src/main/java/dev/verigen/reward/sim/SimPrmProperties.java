package dev.verigen.reward.sim;

import dev.verigen.reward.scoring.Aggregation;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Knobs of the SIMULATED process reward model {@code sim-prm} ({@code verigen.reward.sim-prm.*}).
 *
 * @param seed               mixed into every step's noise and into where a wrong solution goes wrong
 * @param separation         logit gap between right and wrong steps: how strongly step scores correlate with the
 *                           latent correctness (per-step AUC = Φ(separation / (noise·√2))); 0 = blind
 * @param noise              standard deviation of each step's Gaussian logit noise
 * @param overconfidentSteps the first this many steps score {@code earlyLogit} (+ noise) whatever their correctness:
 *                           the PRM is overconfident early, which is what lures step-wise search into prefixes that
 *                           go wrong later (premature exploitation); 0 turns it off
 * @param earlyLogit         logit of the overconfident early steps (2.5 → about 0.92)
 * @param sharedErrors       how much the model shares the sampler's blind spots: the wrong steps of a solution that
 *                           fell into one of the task's misconceptions score {@code sharedErrors × separation × appeal}
 *                           higher on the logit (0: independent; 1: the most appealing misconception looks right)
 * @param aggregation        how step scores become the candidate's score; a job picks another with
 *                           {@code sim-prm:last|min|product|mean}
 * @param stepDelimiter      splits a candidate into steps ({@code \n} escapes understood); the engine simulator writes
 *                           one step a line
 * @param latencyPerItem     simulated engine time per scored candidate
 */
@Validated
@ConfigurationProperties("verigen.reward.sim-prm")
public record SimPrmProperties(
        @DefaultValue("42") long seed,
        @DefaultValue("3.0") @DecimalMin("0.0") double separation,
        @DefaultValue("1.0") @DecimalMin(value = "0.0", inclusive = false) double noise,
        @DefaultValue("2") @Min(0) int overconfidentSteps,
        @DefaultValue("2.5") double earlyLogit,
        @DefaultValue("0.5") @DecimalMin("0.0") @jakarta.validation.constraints.DecimalMax("1.0") double sharedErrors,
        @DefaultValue("min") @NotNull Aggregation aggregation,
        @DefaultValue("\\n") @NotEmpty String stepDelimiter,
        @DefaultValue("1ms") @NotNull Duration latencyPerItem) {
}
