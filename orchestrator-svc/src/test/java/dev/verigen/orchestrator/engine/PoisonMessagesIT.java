package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.Topics;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.json.JsonMapper;

/**
 * Poison on the orchestrator's topics (issue 16): an undecodable result goes to its topic's dead-letter topic with
 * the reason, and the partition keeps flowing; a job another service dead-lettered fails its step at once with the
 * service's reason, and so its run.
 */
@OrchestratorIT(webEnvironment = SpringBootTest.WebEnvironment.NONE, kafkaPartitions = 1)
class PoisonMessagesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired RunRequestParser parser;
    @Autowired RunService service;
    @Autowired JdbcClient jdbc;
    @Autowired EmbeddedKafkaBroker kafka;
    @Autowired MeterRegistry meters;

    private ScriptedWorkers workers;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void start() {
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() throws InterruptedException {
        producer.close();
        workers.close();
    }

    @Test
    void anUndecodableResultIsDeadLetteredWithItsReasonAndThePartitionFlows() throws Exception {
        for (String topic : List.of(Topics.GENERATION_RESULTS, Topics.VERIFICATION_RESULTS, Topics.SCORING_RESULTS,
                Topics.GENERATION_PROGRESS)) {
            producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8),
                    "not a result".getBytes(StandardCharsets.UTF_8))).get();
        }
        // behind the poison, on the same (only) partition: a run's results
        UUID run = create("""
                {"pipeline": {"strategy": "best_of_n", "n": 2, "model": "sim-math", "verifier": "numeric",
                              "rewardModel": "sim-orm", "maxTokens": 16, "seed": 1},
                 "input": {"prompt": "What is 40 + 2?", "reference": "42"}}""", "flows");
        await().atMost(Duration.ofSeconds(60)).until(() -> status(run).equals("SUCCEEDED"));

        List<ConsumerRecord<byte[], byte[]>> dead = read(List.of(Topics.GENERATION_RESULTS + ".dlt",
                Topics.VERIFICATION_RESULTS + ".dlt", Topics.SCORING_RESULTS + ".dlt", Topics.GENERATION_PROGRESS + ".dlt"), 4);
        assertThat(dead).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsOnly("not a result");
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            assertThat(new String(record.headers().lastHeader("x-exception-message").value(), StandardCharsets.UTF_8))
                    .as("the reason travels with the dead letter").isNotBlank();
            assertThat(new String(record.headers().lastHeader("x-original-topic").value(), StandardCharsets.UTF_8))
                    .isEqualTo(record.topic().replace(".dlt", ""));
        }
        assertThat(meters.find("verigen.dead.letters").tag("reason", "malformed").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(4.0);
    }

    @Test
    void aJobAServiceDeadLetteredFailsItsRunWithTheServicesReason() throws Exception {
        UUID run = create("""
                {"pipeline": {"strategy": "best_of_n", "n": 1, "model": "sim-math", "maxTokens": 16, "seed": 2},
                 "input": {"prompt": "What is 40 + 2? %s"}}""".formatted(ScriptedWorkers.UNANSWERED), "dead");
        byte[] job = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "select payload from steps where run_id = :run").param("run", run).query(byte[].class).optional()
                .orElse(null), p -> p != null);
        // as the Kafka binder of a service that could not process it writes it
        var record = new ProducerRecord<byte[], byte[]>(Topics.GENERATION_JOBS + ".dlt", job);
        record.headers().add("x-original-topic", Topics.GENERATION_JOBS.getBytes(StandardCharsets.UTF_8));
        record.headers().add("x-exception-message", "no engine for role JUDGE".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();

        await().atMost(Duration.ofSeconds(30)).until(() -> !status(run).equals("RUNNING"));
        Map<String, Object> step = jdbc.sql("select status, error_code, error_detail from steps where run_id = :run")
                .param("run", run).query().singleRow();
        assertThat(step.get("status")).isEqualTo("FAILED");
        assertThat(step.get("error_code")).isEqualTo("dead_lettered");
        assertThat((String) step.get("error_detail")).contains("verigen.gen.jobs", "no engine for role JUDGE");
        assertThat(status(run)).isEqualTo("FAILED");
    }

    private List<ConsumerRecord<byte[], byte[]>> read(List<String> topics, int count) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= count;
            });
        }
        return out;
    }

    private String status(UUID run) {
        return jdbc.sql("select status from runs where id = :id").param("id", run).query(String.class).single();
    }

    private UUID create(String body, String hash) {
        return service.create("default", parser.parse(JSON.readTree(body), 0), null, hash).id();
    }
}
