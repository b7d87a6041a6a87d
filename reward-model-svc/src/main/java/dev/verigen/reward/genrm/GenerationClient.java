package dev.verigen.reward.genrm;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.KafkaHeaders;
import dev.verigen.contracts.Topics;
import dev.verigen.support.deadletters.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * Sends generation jobs to {@code verigen.gen.jobs} and hands their results back to the waiting scorer.
 *
 * <p>Results must reach the instance that waits for them, though several instances run. Each instance therefore has
 * a reply topic of its own, {@code verigen.rm.gen.results.<instance-id>} (one partition, created on first use), set as
 * every job's {@code meta.replyTo}; gpu-workers and generator-svc answer there. The instance reads it by partition
 * assignment (no consumer group, so no rebalancing), from the end as it was when it started: a result for a job it
 * no longer waits for (a restart, a timeout) is dropped. Correlation is by job id, in memory.
 *
 * <p>Started lazily on the first job, so the service starts without a broker and only instances that use model-backed
 * scorers create a topic.
 */
@Component
public class GenerationClient implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GenerationClient.class);

    private static final int REPLY_PARTITIONS = 6;
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(2);
    static final Duration REPLY_RETENTION = Duration.ofHours(1);

    private final StreamBridge bridge;
    private final MeterRegistry meters;
    private final String brokers;
    private final String replyTopic;
    private final Map<UUID, CompletableFuture<GenerationResult>> pending = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread poller;
    private volatile boolean closed;

    public GenerationClient(StreamBridge bridge, GenRmProperties properties, MeterRegistry meters,
                            @Value("${spring.cloud.stream.kafka.binder.brokers:localhost:9092}") String brokers) {
        this.bridge = bridge;
        this.meters = meters;
        this.brokers = brokers;
        String id = properties.instanceId().isBlank()
                ? UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                : properties.instanceId().strip();
        this.replyTopic = Topics.RM_GENERATION_RESULTS + "." + id;
        if (!Topics.isValidReplyTopic(replyTopic)) {
            throw new IllegalStateException("verigen.reward.genrm.instance-id gives an invalid topic: " + replyTopic);
        }
    }

    /** This instance's reply topic. */
    public String replyTopic() {
        return replyTopic;
    }

    /**
     * Sends the job (its {@code replyTo} is set to this instance's topic) and returns its result's future. The caller
     * bounds the wait and calls {@link #forget(UUID)} when it gives up.
     */
    public CompletableFuture<GenerationResult> submit(GenerationJob job) {
        ensureStarted();
        GenerationJob routed = job.meta().replyTo() != null && job.meta().replyTo().equals(replyTopic) ? job
                : new GenerationJob(job.meta().withReplyTo(replyTopic), job.role(), job.pool(), job.prompt(),
                        job.sampling(), job.n(), job.partial(), job.oneStep(), job.continuations());
        UUID jobId = routed.meta().jobId();
        CompletableFuture<GenerationResult> future = new CompletableFuture<>();
        pending.put(jobId, future);
        var message = MessageBuilder.withPayload(Json.write(routed))
                .setHeader(org.springframework.kafka.support.KafkaHeaders.KEY,
                        routed.meta().runId().toString().getBytes(StandardCharsets.UTF_8))
                .setHeader(KafkaHeaders.JOB_ID, jobId.toString().getBytes(StandardCharsets.UTF_8))
                .build();
        if (!bridge.send(Topics.GENERATION_JOBS, message)) {
            pending.remove(jobId);
            future.completeExceptionally(new IllegalStateException("generation job was not accepted by the broker"));
        }
        return future;
    }

    public void forget(UUID jobId) {
        pending.remove(jobId);
    }

    int pendingCount() {
        return pending.size();
    }

    void ensureStarted() {
        if (poller != null) {
            return;
        }
        synchronized (this) {
            if (poller != null) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("generation client is closed");
            }
            createTopic();
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.CLIENT_ID_CONFIG, "reward-model-svc-" + replyTopic),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = partitions(c);
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position); // resolve the end now: a result of a job sent after this is never missed
            consumer = c;
            Thread t = Thread.ofPlatform().daemon().name("genrm-results").unstarted(this::poll);
            t.start();
            poller = t;
            log.info("model-backed scorers: reply topic {} ({} partition(s))", replyTopic, partitions.size());
        }
    }

    private void createTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            // as many partitions as the binders' min-partition-count: a worker's binder would otherwise add partitions
            // to the topic when it first sends a reply, and a reply on a partition this instance does not read is lost
            // replies matter for seconds: an hour's retention keeps an orphaned topic (an instance killed before it
            // could delete its own) from holding data
            admin.createTopics(List.of(new NewTopic(replyTopic, Optional.of(REPLY_PARTITIONS), Optional.empty())
                    .configs(Map.of("retention.ms", Long.toString(REPLY_RETENTION.toMillis()))))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create reply topic " + replyTopic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + replyTopic, e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var infos = c.partitionsFor(replyTopic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (System.nanoTime() > until) {
                c.close();
                throw new IllegalStateException("reply topic " + replyTopic + " has no partitions");
            }
        }
    }

    private void poll() {
        long nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
        try {
            while (!closed) {
                if (System.nanoTime() > nextPartitionCheck) {
                    followNewPartitions();
                    nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    GenerationResult result;
                    try {
                        result = Json.read(record.value(), GenerationResult.class);
                    } catch (Json.MalformedMessageException e) {
                        // read without a consumer group, so there is no dead-letter topic for it: counted as a dead
                        // letter and dropped (as gpu-worker's cancels), so the alert on dead letters still sees it; the
                        // scorer waiting for that job ends by its timeout
                        log.warn("dropping undecodable generation result on {}: {}", replyTopic, e.getMessage());
                        DeadLetters.count(meters, replyTopic, DeadLetters.MALFORMED);
                        continue;
                    }
                    CompletableFuture<GenerationResult> future = pending.remove(result.meta().jobId());
                    if (future == null) {
                        log.debug("result of job {} arrived after its scorer stopped waiting", result.meta().jobId());
                    } else {
                        future.complete(result);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("reply consumer of {} failed; model-backed scorers will time out", replyTopic, e);
        } finally {
            consumer.close();
        }
    }

    /** Partitions added to the reply topic later (by any binder) are read from their beginning. */
    private void followNewPartitions() {
        var current = new java.util.HashSet<>(consumer.assignment());
        var latest = consumer.partitionsFor(replyTopic, Duration.ofSeconds(5)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        var added = latest.stream().filter(p -> !current.contains(p)).toList();
        if (!added.isEmpty()) {
            current.addAll(added);
            consumer.assign(current);
            consumer.seekToBeginning(added);
            log.info("reply topic {} grew to {} partitions; reading the new ones", replyTopic, current.size());
        }
    }

    /**
     * Stops reading and deletes this instance's reply topic, so that instances that come and go (every restart of a
     * random instance id, every pod of a rollout) do not leave a topic each behind. Nothing waits on it any more: a
     * reply still on its way would be dropped all the same.
     */
    @Override
    public void destroy() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        pending.values().forEach(f -> f.cancel(false));
        Thread t = poller;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTopic();
        }
    }

    private void deleteTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            admin.deleteTopics(List.of(replyTopic)).all().get(5, java.util.concurrent.TimeUnit.SECONDS);
            log.info("deleted reply topic {}", replyTopic);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            log.warn("could not delete reply topic {} (it expires its messages after {}): {}", replyTopic,
                    REPLY_RETENTION, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
