package dev.verigen.orchestrator.outbox;

import dev.verigen.contracts.Topics;
import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.tracing.RunTracing;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import dev.verigen.orchestrator.delivery.CrashPoint;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed outbox rows to Kafka and deletes them once the broker has acknowledged every one.
 * It uses a plain idempotent producer rather than a binding: it needs to send a whole batch, flush, and see
 * each record's acknowledgement before the rows may go. A crash between send and delete only re-sends;
 * consumers deduplicate by job id.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Set<String> JOB_TOPICS = Set.of(Topics.GENERATION_JOBS, Topics.VERIFICATION_JOBS,
            Topics.SCORING_JOBS, Topics.GENERATION_CANCELS);
    private static final int PARTITIONS = 6;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final OutboxSignal signal;
    private final OrchestratorProperties.Outbox config;
    private final RunTracing tracing;
    private final UndeliverableJobs undeliverable;
    private final CrashPoint crash;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile Thread worker;
    private volatile boolean running;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, OutboxSignal signal, OrchestratorProperties properties,
                       RunTracing tracing, UndeliverableJobs undeliverable, CrashPoint crash) {
        this.undeliverable = undeliverable;
        this.crash = crash;
        this.tracing = tracing;
        this.jdbc = jdbc;
        this.tx = tx;
        this.signal = signal;
        this.config = properties.outbox();
    }

    @Override
    public void start() {
        createJobTopics();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "orchestrator-outbox"),
                new ByteArraySerializer(), new ByteArraySerializer());
        running = true;
        worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    private void createJobTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            List<NewTopic> topics = JOB_TOPICS.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
            admin.createTopics(topics).values().values().forEach(f -> {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        log.warn("could not create a job topic: {}", e.getCause().getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (TimeoutException e) {
                    log.warn("timed out creating job topics; the broker will create them on first use");
                }
            });
        }
    }

    private void loop() {
        Duration backoff = Duration.ZERO;
        while (running) {
            try {
                if (!backoff.isZero()) {
                    Thread.sleep(backoff);
                }
                signal.await(config.sweepInterval());
                while (running && relayBatch() == config.batchSize()) {
                    // a full batch means more may be waiting
                }
                backoff = Duration.ZERO;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                backoff = backoff.isZero() ? Duration.ofMillis(200) : min(backoff.multipliedBy(2), Duration.ofSeconds(5));
                log.warn("outbox relay failed, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
            }
        }
    }

    /** @return how many rows were relayed */
    int relayBatch() {
        List<UndeliverableJobs.Refused> refused = new ArrayList<>();
        Integer sent = tx.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    select id, topic, msg_key, payload, trace_parent from outbox order by id limit :limit
                       for update skip locked""")
                    .param("limit", config.batchSize())
                    .query((rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4),
                            rs.getString(5)))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            List<Span> spans = new ArrayList<>(rows.size());
            for (Row row : rows) {
                var record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                // continues the dispatching step's span and writes its context into the record's headers
                spans.add(tracing.send(row.traceParent(), row.topic(), record.headers()));
                acks.add(producer.send(record));
            }
            producer.flush();
            try {
                for (int i = 0; i < acks.size(); i++) {
                    Future<RecordMetadata> ack = acks.get(i);
                    try {
                        ack.get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!refusedForGood(e)) {
                            spans.forEach(s -> s.error(e));
                            throw new IllegalStateException("Kafka did not acknowledge an outbox record", e);
                        }
                        // retrying can never succeed, and would hold up every row behind it: take it out
                        refused.add(rows.get(i).refused(e.getCause().getMessage()));
                    } catch (TimeoutException e) {
                        spans.forEach(s -> s.error(e));
                        throw new IllegalStateException("Kafka did not acknowledge an outbox record", e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while relaying", e);
                    }
                }
            } finally {
                spans.forEach(Span::end);
            }
            crash.reached(CrashPoint.Point.AFTER_SEND);
            jdbc.sql("delete from outbox where id = any(string_to_array(:ids, ',')::bigint[])")
                    .param("ids", rows.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(",")))
                    .update();
            return rows.size();
        });
        refused.forEach(undeliverable::refused);
        return sent == null ? 0 : sent;
    }

    /** The broker (or the producer before it) refused the record in a way no retry changes: it is too large. */
    private static boolean refusedForGood(ExecutionException e) {
        return e.getCause() instanceof RecordTooLargeException;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Row(long id, String topic, byte[] key, byte[] payload, String traceParent) {
        UndeliverableJobs.Refused refused(String reason) {
            return new UndeliverableJobs.Refused(topic, payload, reason);
        }
    }
}
