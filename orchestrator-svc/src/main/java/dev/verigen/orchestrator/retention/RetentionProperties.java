package dev.verigen.orchestrator.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What is deleted, and when ({@code verigen.orchestrator.retention.*}).
 *
 * @param enabled    whether the sweep runs at all
 * @param interval   pause between sweeps
 * @param runsAge    finished runs (and their traces: steps, candidates, verdicts, scores, usage, events, budget) and
 *                   finished experiments (with their runs) older than this are deleted; zero keeps them forever
 * @param tenants    tenant id → its own age, replacing {@code runsAge} for that tenant (zero: keep forever)
 * @param batchSize  runs deleted per transaction: a batch holds its locks briefly, and a crash loses at most one
 * @param inboxAge   processed-job inbox rows older than this are deleted. It must exceed how long a result can still
 *                   be delivered again: the results topics' retention (Kafka's default is 7 days), or a redelivered
 *                   result of a finished step would be booked a second time as a late result
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1h") @NotNull Duration interval,
        @DefaultValue("30d") @NotNull Duration runsAge,
        @DefaultValue Map<String, Duration> tenants,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("8d") @NotNull Duration inboxAge) {

    public RetentionProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        if (inboxAge.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("verigen.orchestrator.retention.inbox-age must be at least 1d (it must "
                    + "outlast every redelivery of a result), was " + inboxAge);
        }
    }

    /** The age past which {@code tenant}'s finished runs go; empty: kept forever. */
    public java.util.Optional<Duration> ageFor(String tenant) {
        Duration age = tenants.getOrDefault(tenant, runsAge);
        return age.isZero() || age.isNegative() ? java.util.Optional.empty() : java.util.Optional.of(age);
    }
}
