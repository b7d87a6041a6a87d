package dev.verigen.support.deadletters;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;

/**
 * Where a record no consumer can act on goes: {@code <topic>.dlt}, through the Kafka binder's dead-letter support
 * ({@code enable-dlq} on a binding, after its retries). The binder copies the record with its key and adds the reason
 * as headers ({@code x-exception-message}, {@code x-exception-fqcn}, {@code x-exception-stacktrace},
 * {@code x-original-topic}, {@code -partition}, {@code -offset}); the partition then moves on. Each one is counted in
 * {@code verigen.dead.letters{topic, reason}} (Prometheus {@code verigen_dead_letters_total}), which an alert watches.
 */
public final class DeadLetters implements DlqDestinationResolver {

    public static final String METER = "verigen.dead.letters";
    public static final String SUFFIX = ".dlt";
    /** The bytes are not a message of the topic's type. */
    public static final String MALFORMED = "malformed";
    /** The message decoded, and acting on it failed after the binding's retries. */
    public static final String FAILED = "failed";

    private final MeterRegistry meters;

    public DeadLetters(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public String apply(ConsumerRecord<?, ?> record, Exception exception) {
        count(meters, record.topic(), reason(exception));
        return topic(record.topic());
    }

    public static String topic(String consumed) {
        return consumed + SUFFIX;
    }

    /** Counts a record dead-lettered (or, where a consumer has no group and so no dead-letter topic, dropped). */
    public static void count(MeterRegistry meters, String topic, String reason) {
        meters.counter(METER, "topic", topic == null ? "unknown" : topic, "reason", reason).increment();
    }

    static String reason(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            // contracts' Json.MalformedMessageException, named rather than imported: this module does not depend on contracts
            if (t.getClass().getSimpleName().equals("MalformedMessageException")) {
                return MALFORMED;
            }
        }
        return FAILED;
    }
}
