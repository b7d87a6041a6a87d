package dev.verigen.reward.jobs;

import static dev.verigen.contracts.testing.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.testing.TopicRecords;
import dev.verigen.reward.genrm.GenerationClient;
import dev.verigen.support.deadletters.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
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
 * Poison on the topics reward-model-svc consumes (issue 16). On verigen.score.jobs (a consumer group) an undecodable
 * job, and a job that decodes but can never be answered, each go to verigen.score.jobs.dlt with the reason in the
 * binder's headers, are counted in verigen_dead_letters_total, and the job behind them on the same partition is still
 * scored. The instance's reply topic is read without a group, so it has no dead-letter topic: an undecodable answer
 * there is counted and dropped, and the answer behind it still reaches its scorer.
 */
@SpringBootTest(properties = {"spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "verigen.reward.genrm.instance-id=dlq-test",
        // the oversized job below has thousands of candidates: no simulated engine time for them
        "verigen.reward.sim.latency-per-item=0ms"})
@EmbeddedKafka(partitions = 6, topics = {Topics.SCORING_JOBS, Topics.SCORING_RESULTS, Topics.GENERATION_JOBS})
// 6 partitions, as the binder provisions (min-partition-count); a test consumer would not see partitions added later
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringDeadLettersKafkaTest {

    private static final String DLT = DeadLetters.topic(Topics.SCORING_JOBS);
    /** The producer's default max.request.size, which the result of a job must fit. */
    private static final int MESSAGE_LIMIT = 1_048_576;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    MeterRegistry meters;

    @Autowired
    GenerationClient client;

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> results;
    private TopicRecords deadLetters;
    private final Map<UUID, ScoringResult> scored = new ConcurrentHashMap<>();

    @BeforeAll
    void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
        results = TopicRecords.consumer(brokers);
        results.subscribe(List.of(Topics.SCORING_RESULTS));
        deadLetters = new TopicRecords(brokers, DLT);
    }

    @AfterAll
    void close() {
        producer.close();
        results.close();
        deadLetters.close();
    }

    @Test
    void anUndecodableJobIsDeadLetteredWithItsReasonAndThePartitionFlows() throws Exception {
        byte[] poison = ("{not a job " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        ScoringJob after = job(3);
        double malformed = deadLettered(Topics.SCORING_JOBS, DeadLetters.MALFORMED);
        double failed = deadLettered(Topics.SCORING_JOBS, DeadLetters.FAILED);
        // one partition: the job behind is only scored if the listener got past the poison instead of retrying it
        producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(after.meta()), poison)).get();
        producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(after.meta()), Json.write(after))).get();

        assertThat(scoredFor(after.meta().jobId()).ok()).isTrue();
        ConsumerRecord<byte[], byte[]> letter = deadLetters.awaitValue(poison);
        assertThat(letter.key()).isEqualTo(key(after.meta()));
        assertThat(header(letter, "x-exception-message")).as("the reason travels with it").contains("ScoringJob");
        assertThat(header(letter, "x-exception-fqcn")).isNotBlank();
        assertThat(header(letter, "x-original-topic")).isEqualTo(Topics.SCORING_JOBS);
        assertThat(header(letter, "x-original-partition")).isNotNull();
        assertThat(deadLettered(Topics.SCORING_JOBS, DeadLetters.MALFORMED)).isEqualTo(malformed + 1);
        assertThat(deadLettered(Topics.SCORING_JOBS, DeadLetters.FAILED)).as("not mistaken for a failed job")
                .isEqualTo(failed);
    }

    @Test
    void aJobThatDecodesButCannotBeAnsweredIsDeadLetteredWithItsReasonAndThePartitionFlows() throws Exception {
        // a score is longer on the wire than the candidate it scores (an id and a 17-digit value against an id and
        // one character): a job just under the message limit has a result over it, which the producer refuses
        // however often it is tried
        ScoringJob poison = job(14_500);
        byte[] poisonBytes = Json.write(poison);
        assertThat(poisonBytes.length).as("the job itself fits").isLessThan(MESSAGE_LIMIT - 10_000);
        ScoringJob after = job(3);
        double malformed = deadLettered(Topics.SCORING_JOBS, DeadLetters.MALFORMED);
        double failed = deadLettered(Topics.SCORING_JOBS, DeadLetters.FAILED);
        producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(poison.meta()), poisonBytes)).get();
        producer.send(new ProducerRecord<>(Topics.SCORING_JOBS, 0, key(after.meta()), Json.write(after))).get();

        assertThat(scoredFor(after.meta().jobId()).ok()).isTrue();
        ConsumerRecord<byte[], byte[]> letter = deadLetters.awaitValue(poisonBytes);
        assertThat(Json.read(letter.value(), ScoringJob.class).meta())
                .as("the job itself, for the orchestrator to fail its step").isEqualTo(poison.meta());
        assertThat(letter.key()).isEqualTo(key(poison.meta()));
        assertThat(header(letter, "x-exception-message")).as("the reason travels with it").isNotBlank();
        assertThat(header(letter, "x-exception-stacktrace")).contains("RecordTooLargeException");
        assertThat(header(letter, "x-original-topic")).isEqualTo(Topics.SCORING_JOBS);
        // max-attempts 1: one attempt, one dead letter, and never answered
        assertThat(deadLettered(Topics.SCORING_JOBS, DeadLetters.FAILED)).isEqualTo(failed + 1);
        assertThat(deadLettered(Topics.SCORING_JOBS, DeadLetters.MALFORMED)).as("it decoded: not counted as malformed")
                .isEqualTo(malformed);
        assertThat(scored).doesNotContainKey(poison.meta().jobId());
    }

    @Test
    void anUndecodableAnswerOnTheReplyTopicIsCountedAndTheAnswerBehindItStillArrives() throws Exception {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        // starts the reply consumer at the topic's end, before anything below is written to it
        var waiting = client.submit(new GenerationJob(meta, GenerationJob.Role.JUDGE, "some-pool", "judge this", null, 1));
        String replyTopic = client.replyTopic();
        double malformed = deadLettered(replyTopic, DeadLetters.MALFORMED);
        var answer = new GenerationResult(meta.withReplyTo(replyTopic), "some-pool", "test",
                List.of(new GenerationResult.Sample(0, "Verdict: correct", "stop", 3, null)), new Usage(5, 3, 1, 1, 1),
                null);
        // one partition, the poison first: the answer is only read if the reader got past it
        producer.send(new ProducerRecord<>(replyTopic, 0, key(meta), "{not a result".getBytes(StandardCharsets.UTF_8)))
                .get();
        producer.send(new ProducerRecord<>(replyTopic, 0, key(meta), Json.write(answer))).get();

        assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS).samples()).extracting(GenerationResult.Sample::text)
                .containsExactly("Verdict: correct");
        assertThat(deadLettered(replyTopic, DeadLetters.MALFORMED)).isEqualTo(malformed + 1);
    }

    private double deadLettered(String topic, String reason) {
        var counter = meters.find(DeadLetters.METER).tag("topic", topic).tag("reason", reason).counter();
        return counter == null ? 0.0 : counter.count();
    }

    private ScoringResult scoredFor(UUID jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(200))) {
                ScoringResult result = Json.read(r.value(), ScoringResult.class);
                scored.put(result.meta().jobId(), result);
            }
            return scored.containsKey(jobId);
        });
        return scored.get(jobId);
    }

    private static ScoringJob job(int candidates) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        return new ScoringJob(meta, "sim-orm", "What is 6 * 7?", IntStream.range(0, candidates)
                .mapToObj(i -> new CandidateRef(UUID.randomUUID(), "4")).toList());
    }

    private static byte[] key(JobMeta meta) {
        return meta.runId().toString().getBytes(StandardCharsets.UTF_8);
    }
}
