package dev.verigen.orchestrator.delivery;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the orchestrator's messages are delivered when things go wrong.
 *
 * @param maxMessageBytes the largest job the orchestrator sends; a larger one would be refused by the broker
 *                        (Kafka's {@code message.max.bytes}, 1 MiB by default, and the producer's
 *                        {@code max.request.size}), so its run fails at dispatch with {@code message_too_large} instead
 * @param crashPoint      a fault-injection point at which the JVM halts ({@link CrashPoint}); {@code none} in
 *                        production, set only by the fault suite
 * @param crashAfter      how many times the point is passed before the halt (so that it happens under load)
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.delivery")
public record DeliveryProperties(@Min(1024) int maxMessageBytes, @NotNull CrashPoint.Point crashPoint,
                                 @Min(1) int crashAfter) {
}
