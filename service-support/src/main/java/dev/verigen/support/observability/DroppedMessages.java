package dev.verigen.support.observability;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Kafka records a service consumed and could not act on: the platform's dead-letter traffic. Every consumer counts them
 * in one meter, {@code verigen.messages.dropped{topic, reason}} (Prometheus: {@code verigen_messages_dropped_total}),
 * which an alert watches: a job dropped this way is answered by nobody until the orchestrator's timeout re-sends it.
 */
public final class DroppedMessages {

    /** The bytes are not a message of the topic's type. */
    public static final String MALFORMED = "malformed";
    /** Processing failed after the binding's retries. */
    public static final String FAILED = "failed";

    private DroppedMessages() {
    }

    public static void count(MeterRegistry meters, String topic, String reason) {
        meters.counter("verigen.messages.dropped", "topic", topic == null ? "unknown" : topic, "reason", reason)
                .increment();
    }
}
