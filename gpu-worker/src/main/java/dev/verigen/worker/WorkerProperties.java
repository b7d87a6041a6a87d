package dev.verigen.worker;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What this worker serves.
 *
 * @param pool    the model pool; the worker consumes {@code verigen.gpu.jobs.<pool>} in group {@code gpu-worker.<pool>}
 * @param backend     the engine backend to host; exactly one backend bean is created for it
 * @param concurrency jobs processed at once by this instance (listener threads; at most the topic's partitions)
 */
@Validated
@ConfigurationProperties("verigen.worker")
public record WorkerProperties(
        // same rule as Topics.isValidPoolName, checked at startup so a typo fails fast instead of at the first job
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}") String pool,
        @NotBlank String backend,
        @Min(1) int concurrency) {
}
