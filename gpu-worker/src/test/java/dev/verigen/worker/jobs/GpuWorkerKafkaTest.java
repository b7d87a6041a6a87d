package dev.verigen.worker.jobs;

import dev.verigen.contracts.CancelJobs;
import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationProgress;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Topics;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Boots the worker against an embedded broker and checks the whole Kafka path, bytes in to bytes out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "verigen.worker.pool=sim-math",
        "verigen.worker.backend=sim",
        "verigen.worker.concurrency=2",
        // slow enough decoding (~2.5 s a job) for a cancel to arrive mid-way
        "verigen.worker.sim.latency.decode-ms-per-token=40",
})
@EmbeddedKafka(partitions = 6, topics = {"verigen.gpu.jobs.sim-math", Topics.GENERATION_RESULTS,
        GpuWorkerKafkaTest.REPLY_TO, Topics.GENERATION_PROGRESS, Topics.GENERATION_CANCELS})
// 6 partitions, as the binder provisions (min-partition-count); a test consumer would not see partitions added later
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuWorkerKafkaTest {

    private static final String JOBS = Topics.engineJobs("sim-math");
    static final String REPLY_TO = "verigen.rm.gen.results.worker-test";

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Value("${local.server.port}")
    int port;

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private final Map<UUID, ConsumerRecord<byte[], byte[]>> results = new ConcurrentHashMap<>();
    private final List<GenerationProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.springframework.beans.factory.annotation.Autowired
    InFlightJobs inFlight;

    @BeforeAll
    void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.GENERATION_RESULTS, REPLY_TO, Topics.GENERATION_PROGRESS));
    }

    @AfterAll
    void close() {
        producer.close();
        consumer.close();
    }

    @Test
    void answersARequestWithSimulatedSamplesKeyedByRun() {
        EngineRequest request = request(Instant.now().plusSeconds(60), 4);
        send(request);

        ConsumerRecord<byte[], byte[]> record = resultFor(request.meta().jobId());
        GenerationResult result = Json.read(record.value(), GenerationResult.class);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(request.meta().runId().toString());
        assertThat(result.ok()).isTrue();
        assertThat(result.backend()).isEqualTo("sim");
        assertThat(result.pool()).isEqualTo("sim-math");
        assertThat(result.samples()).hasSize(4).allSatisfy(s -> assertThat(s.text()).contains("Answer: "));
        assertThat(result.usage().calls()).isEqualTo(4);
        assertThat(result.usage().engineMs()).isPositive();
    }

    @Test
    void answersOnTheRequestsReplyTopicWhenItHasOne() {
        EngineRequest plain = request(Instant.now().plusSeconds(60), 2);
        EngineRequest request = new EngineRequest(plain.meta().withReplyTo(REPLY_TO), plain.pool(), plain.prompt(),
                plain.task(), plain.sampling(), 2, null, List.of("Answer: 42", "Answer: 41"));
        send(request);

        ConsumerRecord<byte[], byte[]> record = resultFor(request.meta().jobId());
        assertThat(record.topic()).isEqualTo(REPLY_TO);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(request.meta().runId().toString());
        GenerationResult result = Json.read(record.value(), GenerationResult.class);
        assertThat(result.ok()).isTrue();
        assertThat(result.meta().replyTo()).isEqualTo(REPLY_TO);
        assertThat(result.samples()).extracting(GenerationResult.Sample::text).containsExactly("Answer: 42", "Answer: 41");
        assertThat(result.samples()).allSatisfy(s -> assertThat(s.logprob()).isNegative());
        assertThat(result.samples().get(0).logprob() / result.samples().get(0).completionTokens())
                .isGreaterThan(result.samples().get(1).logprob() / result.samples().get(1).completionTokens() - 1);
        assertThat(result.usage().calls()).isEqualTo(2);
        assertThat(result.usage().completionTokens()).isZero();
    }

    @Test
    void deadLettersAnUndecodableMessageWithItsReasonAndKeepsConsuming() {
        EngineRequest after = request(Instant.now().plusSeconds(60), 1);
        // same key, so the same partition and listener thread must get past the bad record to reach the good one
        producer.send(new ProducerRecord<>(JOBS, after.meta().runId().toString().getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8)));
        send(after);

        assertThat(Json.read(resultFor(after.meta().jobId()).value(), GenerationResult.class).ok()).isTrue();
        try (var dlt = new KafkaConsumer<byte[], byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            dlt.subscribe(List.of(JOBS + ".dlt"));
            List<ConsumerRecord<byte[], byte[]>> dead = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(new String(dead.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(new String(dead.getFirst().headers().lastHeader("x-exception-message").value(),
                    StandardCharsets.UTF_8)).as("the reason travels with it").contains("EngineRequest");
        }
    }

    @Test
    void aResultOverTheMessageLimitIsAnsweredAsAnErrorThatStillBooksItsUsage() {
        EngineRequest request = request(Instant.now().plusSeconds(60), 1);
        GenerationResult huge = new GenerationResult(request.meta(), "sim-math", "sim", java.util.stream.IntStream
                .range(0, 64).mapToObj(i -> new GenerationResult.Sample(i, "x".repeat(32 * 1024), "stop", 8000, -1.0))
                .toList(), new dev.verigen.contracts.Usage(10, 64 * 8000, 64, 1, 1), null);
        GenerationResult sent = Json.read(EngineJobBinding.encode(huge), GenerationResult.class);
        assertThat(sent.error().code()).isEqualTo("message_too_large");
        assertThat(sent.error().message()).contains("1000000-byte message limit");
        assertThat(sent.usage()).isEqualTo(huge.usage());
        assertThat(sent.samples()).isEmpty();
    }

    @Test
    void anExpiredDeadlineGivesAnErrorResult() {
        EngineRequest late = request(Instant.now().minusSeconds(1), 2);
        send(late);

        GenerationResult result = Json.read(resultFor(late.meta().jobId()).value(), GenerationResult.class);
        assertThat(result.error()).isNotNull();
        assertThat(result.error().code()).isEqualTo("deadline_exceeded");
        assertThat(result.error().retryable()).isFalse();
        assertThat(result.samples()).isEmpty();
    }

    @Test
    void exposesMetricsTaggedAsTheSimulator() throws Exception {
        EngineRequest request = request(Instant.now().plusSeconds(60), 2);
        send(request);
        resultFor(request.meta().jobId());

        var http = HttpClient.newHttpClient();
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .containsPattern("verigen_worker_jobs_total\\{[^}]*backend=\"sim\"[^}]*outcome=\"ok\"[^}]*pool=\"sim-math\"")
                .containsPattern("verigen_worker_tokens_total\\{[^}]*kind=\"completion\"")
                .contains("verigen_worker_inflight")
                .contains("verigen_worker_time_to_first_token_seconds_bucket")
                // vLLM's own names, colons and all, for the simulator
                .contains("vllm:time_to_first_token_seconds_bucket{")
                .contains("vllm:generation_tokens_total{")
                .contains("vllm:num_requests_running{");
    }

    @Test
    void aCancelStopsARunningJobWhichAnswersWithWhatItGenerated() {
        EngineRequest full = request(Instant.now().plusSeconds(60), 2);
        EngineRequest request = new EngineRequest(full.meta(), full.pool(), full.prompt(), full.task(), full.sampling(),
                2, null, List.of(), 5);
        send(request);
        // the samples report themselves every 5 tokens while they decode
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            resultsSoFar();
            return progress.stream().anyMatch(p -> p.meta().jobId().equals(request.meta().jobId()));
        });
        GenerationProgress first = progress.stream().filter(p -> p.meta().jobId().equals(request.meta().jobId()))
                .findFirst().orElseThrow();
        assertThat(first.tokens()).isEqualTo(5);
        assertThat(first.text()).startsWith("Step 1");
        producer.send(new ProducerRecord<>(Topics.GENERATION_CANCELS, request.meta().runId().toString()
                .getBytes(StandardCharsets.UTF_8), Json.write(new CancelJobs(request.meta().runId(),
                List.of(request.meta().jobId()), "test"))));
        producer.flush();

        GenerationResult result = Json.read(resultFor(request.meta().jobId()).value(), GenerationResult.class);
        assertThat(result.error()).isNotNull();
        assertThat(result.error().code()).isEqualTo("cancelled");
        assertThat(result.error().retryable()).isFalse();
        assertThat(result.samples()).hasSize(2).allSatisfy(s -> {
            assertThat(s.finishReason()).isEqualTo("cancelled");
            assertThat(s.text()).doesNotContain("Answer:");
        });
        // billed: the prompt and the tokens decoded before the cancel, not the samples' full length
        long cut = result.samples().stream().mapToLong(GenerationResult.Sample::completionTokens).sum();
        assertThat(result.usage().completionTokens()).isEqualTo(cut).isLessThan(2 * 40);
    }

    @Test
    void aJobCancelledBeforeItStartsAnswersAtOnceHavingSpentNothing() {
        EngineRequest request = request(Instant.now().plusSeconds(60), 2);
        // the cancels binding reads from the latest offset: repeat the cancel until this instance has taken it in
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            producer.send(new ProducerRecord<>(Topics.GENERATION_CANCELS, Json.write(new CancelJobs(
                    request.meta().runId(), List.of(request.meta().jobId()), "test"))));
            producer.flush();
            return inFlight.remembersCancelOf(request.meta().jobId());
        });
        send(request);

        GenerationResult result = Json.read(resultFor(request.meta().jobId()).value(), GenerationResult.class);
        assertThat(result.error().code()).isEqualTo("cancelled");
        assertThat(result.samples()).isEmpty();
        assertThat(result.usage().totalTokens()).isZero();
        assertThat(result.usage().calls()).isZero();
    }

    private void resultsSoFar() {
        synchronized (consumer) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(Topics.GENERATION_PROGRESS)) {
                    progress.add(Json.read(r.value(), GenerationProgress.class));
                } else {
                    results.put(Json.read(r.value(), GenerationResult.class).meta().jobId(), r);
                }
            }
        }
    }

    private void send(EngineRequest request) {
        producer.send(new ProducerRecord<>(JOBS, request.meta().runId().toString().getBytes(StandardCharsets.UTF_8),
                Json.write(request)));
        producer.flush();
    }

    private ConsumerRecord<byte[], byte[]> resultFor(UUID jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            // one test thread polls at a time; results of other tests are kept for them
            synchronized (consumer) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(Topics.GENERATION_PROGRESS)) {
                        progress.add(Json.read(r.value(), GenerationProgress.class));
                    } else {
                        results.put(Json.read(r.value(), GenerationResult.class).meta().jobId(), r);
                    }
                }
            }
            return results.containsKey(jobId);
        });
        return results.get(jobId);
    }

    private static EngineRequest request(Instant deadline, int n) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null, deadline);
        return new EngineRequest(meta, "sim-math", "What is 17 + 25?", "What is 17 + 25?",
                new SamplingParams(0.8, 1.0, 128, 7L, List.of(), false), n);
    }
}
