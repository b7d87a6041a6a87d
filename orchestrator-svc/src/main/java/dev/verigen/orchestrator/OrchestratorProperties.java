package dev.verigen.orchestrator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The orchestrator's settings.
 *
 * @param pools     model pools served by gpu-workers; a spec naming any other pool is rejected up front
 * @param verifiers verifier types verifier-svc offers
 * @param scorers   reward models reward-model-svc offers
 */
@Validated
@ConfigurationProperties("verigen.orchestrator")
public record OrchestratorProperties(@NotEmpty Set<String> pools, @NotEmpty Set<String> verifiers,
                                     @NotNull Set<String> scorers, @Valid @NotNull Limits limits,
                                     @Valid @NotNull Outbox outbox) {

    /** Upper bounds on what one request may ask for. */
    /** @param maxJobAttempts how often a job that never answered is sent before its step fails */
    public record Limits(@Min(1) int maxSamples, @Min(1) int maxTokensPerSample, @Min(1) int maxPromptChars,
                         @Min(1) int defaultJobTimeoutSeconds, @Min(1) int maxJobAttempts) {

        public Limits {
            maxJobAttempts = maxJobAttempts == 0 ? 3 : maxJobAttempts;
        }
    }

    /**
     * @param bootstrapServers the Kafka cluster jobs are relayed to
     * @param sweepInterval    how often the relay looks for rows a crash or a failed send left behind
     * @param batchSize        rows relayed per transaction
     */
    public record Outbox(@NotBlank String bootstrapServers, @NotNull Duration sweepInterval, @Min(1) int batchSize) {
    }
}
