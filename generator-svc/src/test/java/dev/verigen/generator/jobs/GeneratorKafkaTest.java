package dev.verigen.generator.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Topics;
import dev.verigen.generator.routing.PromptKeys;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Boots the generator against an embedded broker: jobs in, engine requests or error results out. */
@SpringBootTest(properties = "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 6, topics = {Topics.GENERATION_JOBS, "verigen.gpu.jobs.sim-math", Topics.GENERATION_RESULTS,
        GeneratorKafkaTest.REPLY_TO})
// 6 partitions, as the binder provisions (min-partition-count); a test consumer would not see partitions added later
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorKafkaTest {

    private static final String ENGINE_JOBS = Topics.engineJobs("sim-math");
    static final String REPLY_TO = "verigen.rm.gen.results.test-instance";

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private final Map<UUID, ConsumerRecord<byte[], byte[]>> seen = new ConcurrentHashMap<>();

    @BeforeAll
    void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(ENGINE_JOBS, Topics.GENERATION_RESULTS, REPLY_TO));
    }

    @AfterAll
    void close() {
        producer.close();
        consumer.close();
    }

    @Test
    void turnsAJobIntoAnEngineRequestKeyedByItsPromptPrefix() {
        GenerationJob job = job("sim-math");
        send(job);

        ConsumerRecord<byte[], byte[]> record = recordFor(job.meta().jobId());
        assertThat(record.topic()).isEqualTo(ENGINE_JOBS);
        EngineRequest request = Json.read(record.value(), EngineRequest.class);
        assertThat(request.prompt()).isEqualTo("What is 17 + 25?");
        assertThat(request.task()).isEqualTo("What is 17 + 25?");
        assertThat(request.n()).isEqualTo(4);
        assertThat(request.meta()).isEqualTo(job.meta());
        assertThat(record.key()).isEqualTo(new PromptKeys(512).keyOf("What is 17 + 25?"));
    }

    @Test
    void answersAJobForAnUnknownPoolWithAnErrorResult() {
        GenerationJob job = job("no-such-pool");
        // an undecodable record just before it on the same partition must be skipped, not block the job
        producer.send(new ProducerRecord<>(Topics.GENERATION_JOBS,
                job.meta().runId().toString().getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8)));
        send(job);

        ConsumerRecord<byte[], byte[]> record = recordFor(job.meta().jobId());
        assertThat(record.topic()).isEqualTo(Topics.GENERATION_RESULTS);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(job.meta().runId().toString());
        GenerationResult result = Json.read(record.value(), GenerationResult.class);
        assertThat(result.error().code()).isEqualTo("unknown_pool");
        assertThat(result.error().retryable()).isFalse();
    }

    @Test
    void passesReplyToAndContinuationsOnToTheEngine() {
        GenerationJob plain = job("sim-math");
        GenerationJob job = GenerationJob.scoring(plain.meta().withReplyTo(REPLY_TO), GenerationJob.Role.GENERATE,
                "sim-math", "What is 17 + 25?", List.of("Answer: 42", "Answer: 41"));
        send(job);

        ConsumerRecord<byte[], byte[]> record = recordFor(job.meta().jobId());
        assertThat(record.topic()).isEqualTo(ENGINE_JOBS);
        EngineRequest request = Json.read(record.value(), EngineRequest.class);
        assertThat(request.meta().replyTo()).isEqualTo(REPLY_TO);
        assertThat(request.continuations()).containsExactly("Answer: 42", "Answer: 41");
        assertThat(request.scoringMode()).isTrue();
        assertThat(request.n()).isEqualTo(2);
    }

    @Test
    void answersAnUnknownPoolOnTheJobsReplyTopic() {
        GenerationJob plain = job("no-such-pool");
        GenerationJob job = new GenerationJob(plain.meta().withReplyTo(REPLY_TO), GenerationJob.Role.JUDGE,
                "no-such-pool", "judge this", null, 2);
        send(job);

        ConsumerRecord<byte[], byte[]> record = recordFor(job.meta().jobId());
        assertThat(record.topic()).isEqualTo(REPLY_TO);
        GenerationResult result = Json.read(record.value(), GenerationResult.class);
        assertThat(result.error().code()).isEqualTo("unknown_pool");
    }

    private void send(GenerationJob job) {
        producer.send(new ProducerRecord<>(Topics.GENERATION_JOBS,
                job.meta().runId().toString().getBytes(StandardCharsets.UTF_8), Json.write(job)));
        producer.flush();
    }

    private ConsumerRecord<byte[], byte[]> recordFor(UUID jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            synchronized (consumer) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    UUID id = r.topic().equals(ENGINE_JOBS)
                            ? Json.read(r.value(), EngineRequest.class).meta().jobId()
                            : Json.read(r.value(), GenerationResult.class).meta().jobId();
                    seen.put(id, r);
                }
            }
            return seen.containsKey(jobId);
        });
        return seen.get(jobId);
    }

    private static GenerationJob job(String pool) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        return new GenerationJob(meta, GenerationJob.Role.GENERATE, pool, "What is 17 + 25?", null, 4);
    }
}
