package dev.verigen.contracts.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What arrives on one topic, read from its beginning by a group of its own, for tests that wait for a record they
 * caused (a dead letter, a routed job): every record polled is kept, so waiting for one does not lose the others.
 */
public final class TopicRecords implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();

    public TopicRecords(String brokers, String topic) {
        consumer = consumer(brokers);
        consumer.subscribe(List.of(topic));
    }

    /** The record whose value is exactly {@code value}, waiting up to 30 s for it. */
    public ConsumerRecord<byte[], byte[]> awaitValue(byte[] value) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(r -> Arrays.equals(r.value(), value)).findFirst();
        }, Optional::isPresent).orElseThrow();
    }

    /** A header's value as text; null when the record has none of that name. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A byte-array consumer in a group of its own, from the earliest offset. */
    public static KafkaConsumer<byte[], byte[]> consumer(String brokers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
