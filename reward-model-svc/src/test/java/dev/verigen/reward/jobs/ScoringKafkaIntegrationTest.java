package dev.verigen.reward.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Boots the service against an embedded broker and talks to it only through its topics. */
@SpringBootTest(properties = "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 6, topics = {Topics.SCORING_JOBS, Topics.SCORING_RESULTS})
class ScoringKafkaIntegrationTest {

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void scoresJobsFromTheTopicAndAnswersOnTheResultsTopic() throws Exception {
        JobMeta simMeta = meta();
        JobMeta unknownMeta = meta();
        List<CandidateRef> candidates = List.of(new CandidateRef(UUID.randomUUID(), "6*7. Answer: 42"),
                new CandidateRef(UUID.randomUUID(), "Answer: 41"), new CandidateRef(UUID.randomUUID(), "no idea"));
        var sim = new ScoringJob(simMeta, "sim-orm", "What is 6 * 7?", candidates);
        var unknown = new ScoringJob(unknownMeta, "gpt-judge-9000", "?", candidates.subList(0, 1));

        try (var producer = producer(); var consumer = consumer()) {
            consumer.subscribe(List.of(Topics.SCORING_RESULTS));
            // the malformed message goes first: the jobs behind it are only answered if it was dropped, not stuck
            producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(simMeta), "[]".getBytes())).get();
            producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(simMeta), Json.write(sim))).get();
            producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(unknownMeta), Json.write(unknown))).get();

            List<ConsumerRecord<byte[], byte[]>> received = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(40)).pollInSameThread().pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                assertThat(received).hasSizeGreaterThanOrEqualTo(2);
            });

            Map<UUID, ConsumerRecord<byte[], byte[]>> byJob = new HashMap<>();
            for (var r : received) {
                byJob.put(Json.read(r.value(), ScoringResult.class).meta().jobId(), r);
            }
            assertThat(byJob).containsOnlyKeys(simMeta.jobId(), unknownMeta.jobId());

            var simRecord = byJob.get(simMeta.jobId());
            assertThat(simRecord.key()).isEqualTo(key(simMeta));
            ScoringResult ok = Json.read(simRecord.value(), ScoringResult.class);
            assertThat(ok.ok()).isTrue();
            assertThat(ok.meta()).isEqualTo(simMeta);
            assertThat(ok.scorer()).isEqualTo("sim-orm");
            assertThat(ok.scores()).extracting(Score::candidateId)
                    .containsExactlyElementsOf(candidates.stream().map(CandidateRef::candidateId).toList());
            assertThat(ok.scores()).allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1.0));
            assertThat(ok.usage().calls()).isEqualTo(3);
            assertThat(ok.usage().promptTokens()).isPositive();
            assertThat(ok.usage().engineMs()).isEqualTo(3); // default 1 ms per item

            var unknownRecord = byJob.get(unknownMeta.jobId());
            assertThat(unknownRecord.key()).isEqualTo(key(unknownMeta));
            ScoringResult failed = Json.read(unknownRecord.value(), ScoringResult.class);
            assertThat(failed.error()).isNotNull();
            assertThat(failed.error().code()).isEqualTo("unknown_scorer");
            assertThat(failed.error().retryable()).isFalse();
            assertThat(failed.scores()).isEmpty();
        }
    }

    private static JobMeta meta() {
        return new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
    }

    private static byte[] key(JobMeta meta) {
        return meta.runId().toString().getBytes(StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
