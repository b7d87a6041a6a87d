package dev.verigen.generator.jobs;

import static dev.verigen.contracts.testing.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.testing.TopicRecords;
import dev.verigen.support.deadletters.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Poison on verigen.gen.jobs, the one topic generator-svc consumes (issue 16): an undecodable job, and a job that
 * decodes but can never be acted on, each go to verigen.gen.jobs.dlt with the reason in the binder's headers, are
 * counted in verigen_dead_letters_total, and the job behind them on the same partition is still routed.
 */
@SpringBootTest(properties = "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 6, topics = {Topics.GENERATION_JOBS, "verigen.gpu.jobs.sim-math", Topics.GENERATION_RESULTS})
// 6 partitions, as the binder provisions (min-partition-count); a test consumer would not see partitions added later
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorDeadLettersKafkaTest {

    private static final String ENGINE_JOBS = Topics.engineJobs("sim-math");
    private static final String DLT = DeadLetters.topic(Topics.GENERATION_JOBS);
    /**
     * A legal reply topic by the contracts' rules, but Kafka refuses to create it: '.' and '_' are the same character
     * in its metric names, so it collides with verigen.gen.results. A job answered there can never be answered.
     */
    private static final String UNCREATABLE_REPLY_TO = "verigen.gen_results";

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    MeterRegistry meters;

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> engineJobs;
    private TopicRecords deadLetters;
    private final Map<UUID, ConsumerRecord<byte[], byte[]>> routed = new ConcurrentHashMap<>();

    @BeforeAll
    void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
        engineJobs = TopicRecords.consumer(brokers);
        engineJobs.subscribe(List.of(ENGINE_JOBS));
        deadLetters = new TopicRecords(brokers, DLT);
    }

    @AfterAll
    void close() {
        producer.close();
        engineJobs.close();
        deadLetters.close();
    }

    @Test
    void anUndecodableJobIsDeadLetteredWithItsReasonAndThePartitionFlows() throws Exception {
        byte[] poison = ("{not a job " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        GenerationJob after = job("sim-math", null);
        double malformed = deadLettered(DeadLetters.MALFORMED);
        double failed = deadLettered(DeadLetters.FAILED);
        // one partition: the job behind is only routed if the listener got past the poison instead of retrying it
        producer.send(new ProducerRecord<>(Topics.GENERATION_JOBS, 0, key(after), poison)).get();
        producer.send(new ProducerRecord<>(Topics.GENERATION_JOBS, 0, key(after), Json.write(after))).get();

        assertThat(routedFor(after.meta().jobId()).topic()).isEqualTo(ENGINE_JOBS);
        ConsumerRecord<byte[], byte[]> letter = deadLetters.awaitValue(poison);
        assertThat(letter.key()).isEqualTo(key(after));
        assertThat(header(letter, "x-exception-message")).as("the reason travels with it").contains("GenerationJob");
        assertThat(header(letter, "x-exception-fqcn")).isNotBlank();
        assertThat(header(letter, "x-original-topic")).isEqualTo(Topics.GENERATION_JOBS);
        assertThat(header(letter, "x-original-partition")).isNotNull();
        assertThat(deadLettered(DeadLetters.MALFORMED)).isEqualTo(malformed + 1);
        assertThat(deadLettered(DeadLetters.FAILED)).as("not mistaken for a failed job").isEqualTo(failed);
    }

    @Test
    void aJobThatDecodesButCannotBeAnsweredIsDeadLetteredWithItsReasonAndThePartitionFlows() throws Exception {
        // no pool of that name: the generator answers with an error result, on a reply topic the broker never creates
        GenerationJob poison = job("no-such-pool", UNCREATABLE_REPLY_TO);
        GenerationJob after = job("sim-math", null);
        double malformed = deadLettered(DeadLetters.MALFORMED);
        double failed = deadLettered(DeadLetters.FAILED);
        producer.send(new ProducerRecord<>(Topics.GENERATION_JOBS, 0, key(poison), Json.write(poison))).get();
        producer.send(new ProducerRecord<>(Topics.GENERATION_JOBS, 0, key(after), Json.write(after))).get();

        assertThat(routedFor(after.meta().jobId()).topic()).isEqualTo(ENGINE_JOBS);
        ConsumerRecord<byte[], byte[]> letter = deadLetters.awaitValue(Json.write(poison));
        assertThat(Json.read(letter.value(), GenerationJob.class)).as("the job itself, for the orchestrator to fail its step")
                .isEqualTo(poison);
        assertThat(letter.key()).isEqualTo(key(poison));
        assertThat(header(letter, "x-exception-message")).as("the reason travels with it").contains(UNCREATABLE_REPLY_TO);
        assertThat(header(letter, "x-original-topic")).isEqualTo(Topics.GENERATION_JOBS);
        // max-attempts 1: one attempt, one dead letter, and the job behind it was only routed after that
        assertThat(deadLettered(DeadLetters.FAILED)).isEqualTo(failed + 1);
        assertThat(deadLettered(DeadLetters.MALFORMED)).as("it decoded: not counted as malformed").isEqualTo(malformed);
    }

    private double deadLettered(String reason) {
        var counter = meters.find(DeadLetters.METER).tag("topic", Topics.GENERATION_JOBS).tag("reason", reason)
                .counter();
        return counter == null ? 0.0 : counter.count();
    }

    private ConsumerRecord<byte[], byte[]> routedFor(UUID jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<byte[], byte[]> r : engineJobs.poll(Duration.ofMillis(200))) {
                routed.put(Json.read(r.value(), EngineRequest.class).meta().jobId(), r);
            }
            return routed.containsKey(jobId);
        });
        return routed.get(jobId);
    }

    private static byte[] key(GenerationJob job) {
        return job.meta().runId().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static GenerationJob job(String pool, String replyTo) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60), replyTo);
        return new GenerationJob(meta, GenerationJob.Role.GENERATE, pool, "What is 17 + 25?", null, 4);
    }
}
