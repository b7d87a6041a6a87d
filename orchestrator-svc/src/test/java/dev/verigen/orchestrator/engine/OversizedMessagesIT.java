package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.Topics;
import dev.verigen.orchestrator.outbox.Outbox;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs larger than the broker accepts (issue 16): a run whose job is over the limit fails at dispatch with
 * {@code message_too_large} within seconds; a row the broker refuses is taken out of the outbox, so the rows behind it
 * flow: one 2 MB job and 1,000 normal runs, and the 1,000 all succeed.
 */
@OrchestratorIT(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "verigen.orchestrator.delivery.max-message-bytes=100000")
class OversizedMessagesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired RunRequestParser parser;
    @Autowired RunService service;
    @Autowired Outbox outbox;
    @Autowired JdbcClient jdbc;
    @Autowired EmbeddedKafkaBroker kafka;

    private ScriptedWorkers workers;

    @BeforeEach
    void startWorkers() {
        workers = new ScriptedWorkers(kafka.getBrokersAsString());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        workers.close();
    }

    @Test
    void aJobOverTheLimitFailsItsRunAtOnceNamingTheSizes() {
        String prompt = "What is 40 + 2? " + "x".repeat(150_000);
        UUID run = create("""
                {"pipeline": {"strategy": "best_of_n", "n": 2, "model": "sim-math", "maxTokens": 16, "seed": 1},
                 "input": {"prompt": "%s"}}""".formatted(prompt), "big");
        Map<String, Object> row = jdbc.sql("select status, error_code, error_detail from runs where id = :id")
                .param("id", run).query().singleRow();
        assertThat(row.get("status")).isEqualTo("FAILED");
        assertThat(row.get("error_code")).isEqualTo("message_too_large");
        assertThat((String) row.get("error_detail")).contains("100000-byte message limit");
        assertThat(jdbc.sql("select count(*) from outbox where length(payload) > 100000").query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select reserved_tokens from budgets where run_id = :id").param("id", run)
                .query(Long.class).single()).as("nothing stays reserved").isZero();
    }

    @Test
    void aRecordTheBrokerRefusesLeavesTheOutboxAndTheRowsBehindItFlow() {
        // written straight to the outbox, as a job over the broker's limit that got past the dispatch check would be
        UUID jobId = UUID.randomUUID();
        byte[] huge = ("{\"meta\": {\"jobId\": \"" + jobId + "\"}, \"pad\": \"" + "y".repeat(2 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        outbox.add(Topics.GENERATION_JOBS, "huge", huge);
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            runs.add(create("""
                    {"pipeline": {"strategy": "best_of_n", "n": 1, "model": "sim-math", "maxTokens": 16, "seed": %d},
                     "input": {"prompt": "What is 40 + 2?"}}""".formatted(i), "r" + i));
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                jdbc.sql("select count(*) from runs where status = 'SUCCEEDED'").query(Long.class).single() == 1_000);
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isZero();
        assertThat(runs).hasSize(1_000);
    }

    private UUID create(String body, String hash) {
        return service.create("default", parser.parse(JSON.readTree(body), 0), null, hash).id();
    }
}
