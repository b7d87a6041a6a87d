package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault suite (issue 16): the platform's services as separate JVMs over a Kafka broker and a PostgreSQL cluster
 * of the suite's own, each also a process that can be killed, and a steady load of best-of-N runs through the gateway.
 * One fault after another while runs are in flight: {@code kill -9} of gpu-worker, verifier-svc, reward-model-svc and
 * generator-svc, each started again; the orchestrator halted at each of its fault-injection points (after an outbox
 * commit, after a send, mid-apply) and started again; a second orchestrator killed; the Kafka broker killed and
 * started again; PostgreSQL restarted. Then every run must end SUCCEEDED, no result applied twice, no budget overspent,
 * every budget equal to its usage rows — and the counts (jobs executed twice, re-sent, dead-lettered) are written to
 * {@code target/fault-suite.md} for RELIABILITY.md.
 *
 * <p>A stage of its own ({@code ./verigen test --faults}); {@code verigen.faults.runs} sets the runs per fault.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSuiteIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int RUNS_PER_FAULT = Integer.getInteger("verigen.faults.runs", 120);
    private static final List<String> RESULT_TOPICS = List.of("verigen.gen.results", "verigen.verify.results",
            "verigen.score.results");

    private final Path logs = Path.of(System.getProperty("verigen.root", "..")).toAbsolutePath().normalize()
            .resolve("e2e-tests/target/e2e-logs");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService submitters = Executors.newFixedThreadPool(4);
    private final List<CompletableFuture<String>> submitted = new ArrayList<>();
    private final AtomicInteger seeds = new AtomicInteger();
    private final Map<String, Integer> kills = new LinkedHashMap<>();
    /** Jobs dispatched and not yet answered when each fault struck: what a fault may make a service execute twice. */
    private final Map<String, Long> inFlight = new LinkedHashMap<>();

    private PostgresProcess postgres;
    private KafkaProcess kafka;
    private Platform platform;
    private String dbUrl;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(PostgresProcess.available(), "no PostgreSQL binaries under /usr/lib/postgresql");
        Files.createDirectories(logs);
        postgres = new PostgresProcess();
        postgres.createDatabase("verigen");
        postgres.createDatabase("sqlsandbox");
        dbUrl = postgres.url("verigen");
        kafka = new KafkaProcess(logs);
        platform = new Platform(kafka.bootstrap(), dbUrl, "postgres", "", postgres.url("sqlsandbox"),
                "http://127.0.0.1:9", null, Platform.CORE);
    }

    @AfterAll
    void stop() {
        submitters.shutdownNow();
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyRunSurvivesEveryFaultAndNothingIsAppliedOrSpentTwice() throws Exception {
        long started = System.nanoTime();
        for (String service : List.of("gpu-worker", "verifier-svc", "reward-model-svc", "generator-svc")) {
            underLoad(service + " killed", () -> {
                platform.kill(service);
                platform.restart(service);
            });
        }
        for (String point : List.of("AFTER_OUTBOX_COMMIT", "AFTER_SEND", "MID_APPLY")) {
            // armed in a fresh orchestrator, which then halts itself at the point while runs are in flight
            platform.kill("orchestrator-svc");
            fault("orchestrator-svc killed");
            platform.startWith("orchestrator-svc", Map.of("VERIGEN_ORCHESTRATOR_DELIVERY_CRASH_POINT", point,
                    "VERIGEN_ORCHESTRATOR_DELIVERY_CRASH_AFTER", "20"));
            underLoad("orchestrator-svc halted " + point, () -> {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !platform.alive("orchestrator-svc"));
                platform.restart("orchestrator-svc");
            });
        }
        platform.startWith(Platform.SECOND_ORCHESTRATOR, Map.of());
        underLoad(Platform.SECOND_ORCHESTRATOR + " killed (one of two)", () -> platform.kill(Platform.SECOND_ORCHESTRATOR));
        underLoad("kafka broker killed", () -> {
            kafka.kill();
            await().pollDelay(Duration.ofSeconds(5)).until(() -> true); // down for a while, as a crashed broker is
            kafka.start();
        });
        underLoad("postgresql restarted (immediate)", postgres::restart);

        List<String> ids = new ArrayList<>();
        for (CompletableFuture<String> f : submitted) {
            ids.add(f.get());
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> count("select count(*) from runs where status = 'RUNNING'") == 0);
        double minutes = (System.nanoTime() - started) / 60e9;

        long succeeded = count("select count(*) from runs where status = 'SUCCEEDED'");
        List<String> failed = strings("select id || ' ' || coalesce(error_code, '') || ' ' || coalesce(error_detail, '')"
                + " from runs where status <> 'SUCCEEDED'");
        // a late result (its step had been re-sent or had given up) is booked as a row marked late, never applied
        long appliedTwice = count("select count(*) from (select step_id from usage where not late group by step_id "
                + "having count(*) > 1) d");
        long overspent = count("""
                select count(*) from budgets where used_tokens > coalesce(max_tokens, used_tokens)
                    or used_calls > coalesce(max_calls, used_calls)""");
        long stillReserved = count("select count(*) from budgets where reserved_tokens <> 0 or reserved_calls <> 0");
        long offTheBooks = count("""
                select count(*) from budgets b where b.run_id is not null and (
                    b.used_calls + b.overrun_calls <> (select coalesce(sum(calls), 0) from usage u where u.run_id = b.run_id)
                 or b.used_tokens + b.overrun_tokens <> (select coalesce(sum(prompt_tokens + completion_tokens), 0)
                                       from usage u where u.run_id = b.run_id and u.kind = 'GENERATION'))""");
        long resent = count("select count(*) from steps where attempt > 1");
        long steps = count("select count(*) from steps");
        Map<String, Long> executedTwice = executedTwice();
        Map<String, Long> deadLetters = deadLetters();

        String report = report(ids.size(), succeeded, steps, resent, appliedTwice, overspent, stillReserved,
                offTheBooks, executedTwice, deadLetters, minutes);
        Files.writeString(logs.getParent().resolve("fault-suite.md"), report);
        System.out.println(report);

        assertThat(ids).hasSize(seeds.get());
        assertThat(failed).as("every run ends SUCCEEDED").isEmpty();
        assertThat(succeeded).isEqualTo(ids.size());
        assertThat(appliedTwice).as("results applied twice").isZero();
        assertThat(overspent).as("budgets overspent").isZero();
        assertThat(stillReserved).as("budgets left reserved").isZero();
        assertThat(offTheBooks).as("budgets whose used differs from the sum of their usage rows").isZero();
        // a service executes a job again only when a fault caught it in flight (its offset not yet committed)
        assertThat(executedTwice.values().stream().mapToLong(Long::longValue).sum())
                .as("jobs executed twice, against the jobs in flight when the faults struck")
                .isLessThanOrEqualTo(inFlight.values().stream().mapToLong(Long::longValue).sum());
    }

    @FunctionalInterface
    private interface Fault {
        void inject() throws Exception;
    }

    /** Submits a batch of runs, waits until jobs are in flight, injects the fault, and moves on without waiting. */
    private void underLoad(String name, Fault fault) throws Exception {
        long before = count("select count(*) from steps");
        for (int i = 0; i < RUNS_PER_FAULT; i++) {
            int seed = seeds.incrementAndGet();
            submitted.add(CompletableFuture.supplyAsync(() -> submit(seed), submitters));
        }
        // jobs in flight; or an armed orchestrator already halted itself (it dispatches nothing until restarted)
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> !platform.alive("orchestrator-svc")
                        || count("select count(*) from steps") - before >= RUNS_PER_FAULT);
        inFlight.merge(name, count("select count(*) from steps where status = 'PENDING'"), Long::sum);
        fault.inject();
        fault(name);
    }

    private void fault(String name) {
        kills.merge(name, 1, Integer::sum);
    }

    /** POSTs one run, again with the same idempotency key until the platform takes it (it may be mid-fault). */
    private String submit(int seed) {
        String body = """
                {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math", "verifier": {"type": "numeric"},
                              "rewardModel": "sim-orm", "maxTokens": 64, "seed": %d, "jobTimeoutSeconds": 60},
                 "input": {"prompt": "What is %d + %d?", "reference": "%d"},
                 "budget": {"maxTokens": 20000, "maxCalls": 64}}"""
                .formatted(seed, seed, 7, seed + 7);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create(platform.gatewayUrl() + "/v1/runs"))
                        .header("Authorization", "Bearer " + platform.adminKey())
                        .header("Content-Type", "application/json").header("Idempotency-Key", "fault-" + seed)
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202 || response.statusCode() == 200) {
                    return JSON.readTree(response.body()).get("id").stringValue();
                }
            } catch (Exception e) {
                // the platform is mid-fault: try again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + seed + " was never accepted");
            }
            try {
                Thread.sleep(500); // a client's retry interval, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Per result topic: (job, attempt) pairs answered more than once, i.e. jobs a service executed again. */
    private Map<String, Long> executedTwice() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String topic : RESULT_TOPICS) {
            Map<String, Integer> seen = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : readAll(topic)) {
                try {
                    JsonNode meta = JSON.readTree(record.value()).get("meta");
                    seen.merge(meta.get("jobId").stringValue() + "/" + meta.get("attempt").asInt(), 1, Integer::sum);
                } catch (RuntimeException e) {
                    // not a result: counted among the dead letters
                }
            }
            out.put(topic, seen.values().stream().filter(n -> n > 1).count());
        }
        return out;
    }

    private Map<String, Long> deadLetters() throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            for (String topic : admin.listTopics().names().get()) {
                if (topic.endsWith(".dlt")) {
                    out.put(topic, (long) readAll(topic).size());
                }
            }
        }
        return out;
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "fault-suite-" + java.util.UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return out;
    }

    private String report(int runs, long succeeded, long steps, long resent, long appliedTwice, long overspent,
                          long stillReserved, long offTheBooks, Map<String, Long> executedTwice,
                          Map<String, Long> deadLetters, double minutes) {
        StringBuilder out = new StringBuilder("## Fault suite (FaultSuiteIT)\n\n");
        out.append("| measure | value |\n|---|---|\n");
        out.append("| runs (best-of-4, numeric verifier, sim-orm) | ").append(runs).append(" |\n");
        out.append("| runs SUCCEEDED | ").append(succeeded).append(" |\n");
        out.append("| faults injected | ").append(kills.values().stream().mapToInt(Integer::intValue).sum())
                .append(" |\n");
        kills.forEach((k, n) -> out.append("| · ").append(k).append(" | ").append(n)
                .append(inFlight.containsKey(k) ? " (" + inFlight.get(k) + " jobs in flight)" : "").append(" |\n"));
        out.append("| jobs in flight when the faults struck (dispatched, unanswered) | ")
                .append(inFlight.values().stream().mapToLong(Long::longValue).sum()).append(" |\n");
        out.append("| jobs (steps) | ").append(steps).append(" |\n");
        out.append("| jobs re-sent by the timeout sweep (attempt > 1) | ").append(resent).append(" |\n");
        executedTwice.forEach((t, n) -> out.append("| jobs executed twice (same attempt answered again on ")
                .append(t).append(") | ").append(n).append(" |\n"));
        out.append("| results applied twice | ").append(appliedTwice).append(" |\n");
        out.append("| budgets overspent | ").append(overspent).append(" |\n");
        out.append("| budgets left reserved | ").append(stillReserved).append(" |\n");
        out.append("| budgets whose used ≠ Σ usage rows | ").append(offTheBooks).append(" |\n");
        out.append("| messages dead-lettered | ").append(deadLetters.values().stream().mapToLong(Long::longValue).sum())
                .append(deadLetters.isEmpty() ? "" : " " + deadLetters).append(" |\n");
        out.append("| wall time | ").append(String.format("%.1f min", minutes)).append(" |\n");
        return out.toString();
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
