package dev.verigen.orchestrator.metrics;

import dev.verigen.contracts.Topics;
import dev.verigen.orchestrator.OrchestratorProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Watches every job queue from the outside, as an operator's Kafka tooling would: for each job topic and the consumer
 * group that works it (one per model pool, and generator-svc, verifier-svc, reward-model-svc), the records not yet
 * consumed ({@code verigen.queue.depth{topic, group}}, the lag KEDA scales on) and the consumers in the group
 * ({@code verigen.queue.consumers}: each listener thread of a worker is one member). Measured here rather than in the workers so that a pool with no worker at all
 * still reports its queue, and an alert can see that nobody is there to work it.
 */
@Component
public class QueueWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueWatch.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final String bootstrapServers;
    private final List<Queue> queues = new ArrayList<>();
    private volatile Admin admin;
    private volatile boolean running;

    public QueueWatch(OrchestratorProperties properties, MeterRegistry meters) {
        this.bootstrapServers = properties.outbox().bootstrapServers();
        queues.add(new Queue(Topics.GENERATION_JOBS, "generator-svc", null));
        queues.add(new Queue(Topics.VERIFICATION_JOBS, "verifier-svc", null));
        queues.add(new Queue(Topics.SCORING_JOBS, "reward-model-svc", null));
        properties.pools().stream().sorted().forEach(pool ->
                queues.add(new Queue(Topics.engineJobs(pool), "gpu-worker." + pool, pool)));
        for (Queue q : queues) {
            Gauge.builder("verigen.queue.depth", q.depth, AtomicLong::get).tag("topic", q.topic).tag("group", q.group)
                    .tag("pool", q.pool == null ? "" : q.pool)
                    .description("records of a job topic its consumer group has not consumed yet (consumer lag)")
                    .register(meters);
            Gauge.builder("verigen.queue.consumers", q.consumers, AtomicLong::get).tag("topic", q.topic)
                    .tag("group", q.group).tag("pool", q.pool == null ? "" : q.pool)
                    .description("consumers (worker threads) in the group that works a job topic").register(meters);
        }
    }

    @Scheduled(fixedDelayString = "${verigen.orchestrator.queue-watch-interval:15s}",
            initialDelayString = "${verigen.orchestrator.queue-watch-interval:15s}")
    public void poll() {
        Admin client = admin;
        if (client == null) {
            return;
        }
        for (Queue q : queues) {
            try {
                q.consumers.set(consumers(client, q.group));
                q.depth.set(lag(client, q.topic, q.group));
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                log.debug("could not read the queue of {}: {}", q.group, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long consumers(Admin client, String group) throws ExecutionException, InterruptedException,
            TimeoutException {
        try {
            ConsumerGroupDescription d = client.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return d.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    private static long lag(Admin client, String topic, String group) throws ExecutionException, InterruptedException,
            TimeoutException {
        TopicDescription description;
        try {
            description = client.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0; // nothing was ever sent to it
            }
            throw e;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        description.partitions().forEach(p -> {
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
        });
        var ends = client.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var starts = client.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long from = done != null ? done.offset() : starts.get(end.getKey()).offset();
            lag += Math.max(0, end.getValue().offset() - from);
        }
        return lag;
    }

    @Override
    public void start() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "orchestrator-queue-watch",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Admin client = admin;
        admin = null;
        if (client != null) {
            client.close(java.time.Duration.ofSeconds(2));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Queue(String topic, String group, String pool, AtomicLong depth, AtomicLong consumers) {
        Queue(String topic, String group, String pool) {
            this(topic, group, pool, new AtomicLong(), new AtomicLong());
        }
    }
}
