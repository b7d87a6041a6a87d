package dev.verigen.verifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.contracts.VerifierSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Boots the service against an embedded broker and talks to it only through its topics. */
@SpringBootTest(properties = "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 6, topics = {Topics.VERIFICATION_JOBS, Topics.VERIFICATION_RESULTS})
class VerificationKafkaIntegrationTest {

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    MeterRegistry meters;

    @Test
    void verifiesJobsFromTheTopicAndAnswersOnTheResultsTopic() throws Exception {
        UUID candidateA = UUID.randomUUID();
        UUID candidateB = UUID.randomUUID();
        UUID candidateC = UUID.randomUUID();
        JobMeta numericMeta = meta();
        JobMeta unknownMeta = meta();
        var numeric = new VerificationJob(numericMeta, new VerifierSpec("numeric", Map.of("tolerance", "0.5")),
                "What is 6 * 7?", "42", List.of(new CandidateRef(candidateA, "6*7 = \\boxed{42}"),
                new CandidateRef(candidateB, "The answer is 41"), new CandidateRef(candidateC, "no clue")));
        var unknown = new VerificationJob(unknownMeta, VerifierSpec.of("astrology"), "?", "42",
                List.of(new CandidateRef(UUID.randomUUID(), "42")));

        try (var producer = producer(); var consumer = consumer()) {
            consumer.subscribe(List.of(Topics.VERIFICATION_RESULTS));
            // the malformed message goes first: the jobs behind it are only answered if it was dropped, not stuck
            producer.send(new ProducerRecord<>(Topics.VERIFICATION_JOBS, 0, key(numericMeta), "{not json".getBytes())).get();
            producer.send(new ProducerRecord<>(Topics.VERIFICATION_JOBS, 0, key(numericMeta), Json.write(numeric))).get();
            producer.send(new ProducerRecord<>(Topics.VERIFICATION_JOBS, 0, key(unknownMeta), Json.write(unknown))).get();

            List<ConsumerRecord<byte[], byte[]>> received = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(40)).pollInSameThread().pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                assertThat(received).hasSizeGreaterThanOrEqualTo(2);
            });

            Map<UUID, ConsumerRecord<byte[], byte[]>> byJob = new java.util.HashMap<>();
            for (var r : received) {
                byJob.put(Json.read(r.value(), VerificationResult.class).meta().jobId(), r);
            }
            assertThat(byJob).containsOnlyKeys(numericMeta.jobId(), unknownMeta.jobId());

            var numericRecord = byJob.get(numericMeta.jobId());
            assertThat(numericRecord.key()).isEqualTo(key(numericMeta));
            VerificationResult ok = Json.read(numericRecord.value(), VerificationResult.class);
            assertThat(ok.ok()).isTrue();
            assertThat(ok.meta()).isEqualTo(numericMeta);
            assertThat(ok.verdicts()).extracting(Verdict::candidateId, Verdict::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(candidateA, Verdict.Outcome.PASS),
                    org.assertj.core.groups.Tuple.tuple(candidateB, Verdict.Outcome.FAIL),
                    org.assertj.core.groups.Tuple.tuple(candidateC, Verdict.Outcome.FAIL));
            assertThat(ok.verdicts().get(1).evidence()).contains("extracted 41").contains("reference 42");
            assertThat(ok.usage().calls()).isZero();

            var unknownRecord = byJob.get(unknownMeta.jobId());
            assertThat(unknownRecord.key()).isEqualTo(key(unknownMeta));
            VerificationResult failed = Json.read(unknownRecord.value(), VerificationResult.class);
            assertThat(failed.error()).isNotNull();
            assertThat(failed.error().code()).isEqualTo("unknown_verifier");
            assertThat(failed.error().retryable()).isFalse();
            assertThat(failed.verdicts()).isEmpty();

            assertThat(meters.counter("verigen.verifier.malformed").count()).isEqualTo(1.0);
            // dead-lettered once, with its reason: to verigen.verify.jobs.dlt, counted by topic and reason
            assertThat(meters.counter("verigen.dead.letters", "topic", Topics.VERIFICATION_JOBS, "reason", "malformed")
                    .count()).isEqualTo(1.0);
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
