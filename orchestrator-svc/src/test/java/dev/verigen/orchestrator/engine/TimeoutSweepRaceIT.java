package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.outbox.Outbox;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.tracing.RunTracing;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two orchestrator instances' timeout sweeps over the same database, 1,000 jobs expiring at once: every job is sent
 * a second time exactly once (issue 16). Each sweep reads the expired rows without a lock; the attempt it saw is
 * checked again under the run's row lock, so the slower sweep finds the job already re-sent.
 */
@OrchestratorIT(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "verigen.orchestrator.timeout-sweep-interval=1h")
class TimeoutSweepRaceIT {

    private static final int JOBS = 1_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired RunRequestParser parser;
    @Autowired RunService service;
    @Autowired JobTimeouts first;
    @Autowired TransactionTemplate tx;
    @Autowired RunRepository runs;
    @Autowired StepRepository steps;
    @Autowired ResultApplier applier;
    @Autowired EventLog events;
    @Autowired Outbox outbox;
    @Autowired Clock clock;
    @Autowired OrchestratorProperties properties;
    @Autowired RunTracing tracing;
    @Autowired JdbcClient jdbc;

    @Test
    void thousandJobsExpiringTogetherAreSentASecondTimeExactlyOnce() throws Exception {
        for (int i = 0; i < JOBS; i++) {
            String body = """
                    {"pipeline": {"strategy": "best_of_n", "n": 1, "model": "sim-math", "maxTokens": 16, "seed": %d},
                     "input": {"prompt": "What is 6 * 7?"}}""".formatted(i);
            service.create("default", parser.parse(JSON.readTree(body), i), null, "sweep-" + i);
        }
        assertThat(jdbc.sql("select count(*) from steps where status = 'PENDING'").query(Long.class).single())
                .isEqualTo(JOBS);
        jdbc.sql("update steps set deadline = now() - interval '1 second'").update();

        // a second orchestrator instance: its own sweeper over the same database
        JobTimeouts second = new JobTimeouts(tx, runs, steps, applier, events, outbox, clock, properties, tracing);
        CountDownLatch start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<CompletableFuture<Void>> sweeps = List.of(first, second).stream()
                    .map(sweeper -> CompletableFuture.runAsync(() -> {
                        await(start);
                        // as the scheduler would, sweep until nothing is left expired
                        while (!steps.expiredJobs(clock.instant(), 1).isEmpty()) {
                            sweeper.sweep();
                        }
                    }, pool)).toList();
            start.countDown();
            CompletableFuture.allOf(sweeps.toArray(CompletableFuture[]::new)).get();
        }

        assertThat(jdbc.sql("select count(*) from run_events where type = 'step.redispatched'").query(Long.class)
                .single()).as("second attempts sent").isEqualTo(JOBS);
        assertThat(jdbc.sql("select attempt, count(*) from steps group by attempt").query((rs, i) ->
                rs.getInt(1) + "=" + rs.getLong(2)).list()).containsExactly("2=" + JOBS);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
