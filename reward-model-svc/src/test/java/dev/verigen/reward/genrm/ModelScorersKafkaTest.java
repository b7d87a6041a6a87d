package dev.verigen.reward.genrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * judge and likelihood end to end through Kafka: scoring jobs in on verigen.score.jobs, generation jobs out on
 * verigen.gen.jobs, answered by a fake worker in this test on each job's replyTo topic, scoring results out.
 */
@SpringBootTest(properties = {"spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "verigen.reward.genrm.instance-id=test-1"})
@EmbeddedKafka(partitions = 6, topics = {Topics.SCORING_JOBS, Topics.SCORING_RESULTS, Topics.GENERATION_JOBS})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelScorersKafkaTest {

    private static final String TASK = "What is 6 * 7?";

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    GenerationClient client;

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> results;
    private Thread worker;
    private volatile boolean stop;
    private final List<GenerationJob> seenJobs = new CopyOnWriteArrayList<>();
    private final Map<UUID, ScoringResult> scoringResults = new ConcurrentHashMap<>();

    @BeforeAll
    void start() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
        results = consumer();
        results.subscribe(List.of(Topics.SCORING_RESULTS));
        KafkaConsumer<byte[], byte[]> jobs = consumer();
        jobs.subscribe(List.of(Topics.GENERATION_JOBS));
        worker = Thread.ofPlatform().daemon().start(() -> fakeWorker(jobs));
    }

    @AfterAll
    void stop() throws InterruptedException {
        stop = true;
        worker.join(5_000);
        producer.close();
        results.close();
    }

    /**
     * Answers generation jobs as a gpu-worker would, on their replyTo topic. Judge: k samples, "Verdict: correct" for
     * answers stating 42, else 1 of k says correct. Scoring mode: per-token logprob -0.1 for "42" answers, -1 else.
     * Pool "silent" never answers.
     */
    private void fakeWorker(KafkaConsumer<byte[], byte[]> jobs) {
        try (jobs; var out = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            while (!stop) {
                for (var record : jobs.poll(Duration.ofMillis(100))) {
                    GenerationJob job = Json.read(record.value(), GenerationJob.class);
                    seenJobs.add(job);
                    if (job.pool().equals("silent")) {
                        continue;
                    }
                    List<GenerationResult.Sample> samples = new ArrayList<>();
                    Usage usage;
                    if (job.scoringMode()) {
                        long tokens = 0;
                        for (int i = 0; i < job.continuations().size(); i++) {
                            String c = job.continuations().get(i);
                            int t = Math.max(1, c.length() / 4);
                            tokens += t;
                            samples.add(new GenerationResult.Sample(i, c, "stop", t, (c.contains("42") ? -0.1 : -1.0) * t));
                        }
                        usage = new Usage(10 + tokens, 0, samples.size(), 5, 6);
                    } else {
                        boolean right = job.prompt().contains("Answer to judge:\nAnswer: 42");
                        for (int i = 0; i < job.n(); i++) {
                            boolean says = right || i == 0;
                            samples.add(new GenerationResult.Sample(i, "Checked.\nVerdict: " + (says ? "correct" : "incorrect"),
                                    "stop", 7, null));
                        }
                        usage = new Usage(30, 7L * job.n(), job.n(), 5, 6);
                    }
                    var result = new GenerationResult(job.meta(), job.pool(), "fake", samples, usage, null);
                    out.send(new ProducerRecord<>(job.meta().replyTo(),
                            job.meta().runId().toString().getBytes(StandardCharsets.UTF_8), Json.write(result)));
                }
            }
        }
    }

    @Test
    void judgeScoresEachCandidateByTheShareOfCorrectVerdicts() {
        List<CandidateRef> candidates = candidates();
        ScoringJob job = new ScoringJob(meta(60), "judge:fake-pool:k=4", TASK, candidates, 1234L);

        ScoringResult result = scoreThroughKafka(job);

        assertThat(result.error()).isNull();
        assertThat(result.scores()).extracting(Score::value).containsExactly(1.0, 0.25, 0.25);
        // 3 judge jobs, k samples each: real usage the budget must see
        assertThat(result.usage().calls()).isEqualTo(12);
        assertThat(result.usage().promptTokens()).isEqualTo(90);
        assertThat(result.usage().completionTokens()).isEqualTo(84);
        List<GenerationJob> judged = seenJobs.stream().filter(j -> j.meta().runId().equals(job.meta().runId())).toList();
        assertThat(judged).hasSize(3).allSatisfy(j -> {
            assertThat(j.role()).isEqualTo(GenerationJob.Role.JUDGE);
            assertThat(j.pool()).isEqualTo("fake-pool");
            assertThat(j.n()).isEqualTo(4);
            assertThat(j.meta().replyTo()).isEqualTo("verigen.rm.gen.results.test-1").isEqualTo(client.replyTopic());
            assertThat(j.meta().stepId()).isEqualTo(job.meta().stepId());
            assertThat(j.meta().tenant()).isEqualTo("acme");
            assertThat(j.meta().attempt()).isEqualTo(1);
            assertThat(j.meta().deadline()).isEqualTo(job.meta().deadline());
            assertThat(j.meta().jobId()).isNotEqualTo(job.meta().jobId());
            assertThat(j.prompt()).startsWith("Task:\n" + TASK + "\n\nAnswer to judge:\n");
            assertThat(j.sampling().temperature()).isEqualTo(0.7);
            assertThat(j.sampling().seed()).as("the run's seed: a replay judges alike").isEqualTo(1234L);
        });
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void likelihoodScoresByTheMeanTokenProbabilityOfOneScoringJob() {
        List<CandidateRef> candidates = candidates();
        ScoringJob job = new ScoringJob(meta(60), "likelihood:fake-pool", TASK, candidates);

        ScoringResult result = scoreThroughKafka(job);

        assertThat(result.error()).isNull();
        assertThat(result.scores().get(0).value()).isCloseTo(Math.exp(-0.1), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(result.scores().get(1).value()).isCloseTo(Math.exp(-1.0), org.assertj.core.api.Assertions.within(1e-9));
        List<GenerationJob> sent = seenJobs.stream().filter(j -> j.meta().runId().equals(job.meta().runId())).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().continuations()).containsExactlyElementsOf(candidates.stream().map(CandidateRef::text).toList());
        assertThat(sent.getFirst().prompt()).isEqualTo(TASK);
        assertThat(sent.getFirst().role()).isEqualTo(GenerationJob.Role.GENERATE);
        assertThat(result.usage().calls()).isEqualTo(3);
        assertThat(result.usage().completionTokens()).isZero();
    }

    @Test
    void noAnswerBeforeTheDeadlineIsARetryableJudgeTimeout() {
        ScoringJob job = new ScoringJob(meta(3), "judge:silent", TASK, candidates().subList(0, 1));

        ScoringResult result = scoreThroughKafka(job);

        assertThat(result.error()).isNotNull();
        assertThat(result.error().code()).isEqualTo("judge_timeout");
        assertThat(result.error().retryable()).isTrue();
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void aJudgeWithoutAPoolIsABadRequest() {
        ScoringResult result = scoreThroughKafka(new ScoringJob(meta(60), "judge", TASK, candidates()));
        assertThat(result.error().code()).isEqualTo("bad_request");
        assertThat(result.error().retryable()).isFalse();
    }

    private ScoringResult scoreThroughKafka(ScoringJob job) {
        producer.send(new ProducerRecord<>(Topics.SCORING_JOBS,
                job.meta().runId().toString().getBytes(StandardCharsets.UTF_8), Json.write(job)));
        producer.flush();
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50)).until(() -> {
            synchronized (results) {
                results.poll(Duration.ofMillis(200)).forEach(r -> {
                    ScoringResult sr = Json.read(r.value(), ScoringResult.class);
                    scoringResults.put(sr.meta().jobId(), sr);
                });
            }
            return scoringResults.containsKey(job.meta().jobId());
        });
        return scoringResults.get(job.meta().jobId());
    }

    private static List<CandidateRef> candidates() {
        return List.of(new CandidateRef(UUID.randomUUID(), "Answer: 42"),
                new CandidateRef(UUID.randomUUID(), "Answer: 41"),
                new CandidateRef(UUID.randomUUID(), "I think it is 40"));
    }

    private static JobMeta meta(int seconds) {
        return new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(seconds));
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
