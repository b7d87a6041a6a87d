package dev.verigen.orchestrator.experiments;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of experiments ({@code verigen.orchestrator.experiments.*}).
 *
 * @param tickInterval       how often running experiments are advanced (runs submitted, finished runs graded)
 * @param maxItems           items one experiment (or uploaded dataset) may hold
 * @param maxRuns            items x arms x seeds one experiment may plan (compute_optimal arms count once per item)
 * @param defaultConcurrency runs in flight per experiment when the request names none
 * @param maxConcurrency     the most a request may ask for
 * @param graderUrl          verifier-svc, which grades text2sql and code answers against their references
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.experiments")
public record ExperimentProperties(@NotNull Duration tickInterval, @Min(1) int maxItems, @Min(1) int maxRuns,
                                   @Min(1) int defaultConcurrency, @Min(1) int maxConcurrency,
                                   @NotNull URI graderUrl, @NotNull Duration graderTimeout) {
}
