package dev.verigen.orchestrator.platform;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.access.TenantAccess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/platform/health} (operator only): each job queue's depth and consumers as {@code metrics.QueueWatch}
 * last read them from Kafka's admin API (consumer-group offsets against the topics' end offsets), the generation jobs
 * each pool has outstanding and how long the oldest has waited, and whether each service has anyone consuming its
 * queue. Read from the watch's gauges rather than asking Kafka per request, so a dashboard refreshing every few
 * seconds costs nothing.
 */
@RestController
public class PlatformHealthController {

    private final MeterRegistry meters;
    private final JdbcClient jdbc;

    public PlatformHealthController(MeterRegistry meters, JdbcClient jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
    }

    /**
     * @param pool          the model pool (null for a service's own queue)
     * @param depth         records of its topic its consumer group has not consumed (lag in records)
     * @param consumers     members of the consumer group (worker threads)
     * @param pendingJobs   generation jobs of running runs waiting for this pool's answer
     * @param oldestPendingSeconds how long the oldest of them has waited (lag in time); 0 when none
     */
    public record Queue(String topic, String group, String pool, long depth, long consumers, long pendingJobs,
                        long oldestPendingSeconds) {
    }

    /** @param status UP when the service has a consumer on its queue (or is the one answering), DOWN otherwise */
    public record Service(String name, String status, long consumers) {
    }

    public record Health(Instant at, List<Queue> pools, List<Queue> queues, List<Service> services) {
    }

    @GetMapping("/v1/platform/health")
    public Health health(Caller caller) {
        TenantAccess.requireOperator(caller, "the platform's health");
        record Pending(long count, Instant oldest) {
        }
        Map<String, Pending> pending = new HashMap<>();
        jdbc.sql("""
                        select coalesce(s.action ->> 'pool', r.spec ->> 'model'), count(*), min(s.created_at)
                          from steps s join runs r on r.id = s.run_id
                         where s.status = 'PENDING' and s.kind = 'GENERATION'
                         group by 1""")
                .query((rs, i) -> Map.entry(rs.getString(1), new Pending(rs.getLong(2),
                        rs.getTimestamp(3).toInstant())))
                .list().forEach(e -> pending.put(e.getKey(), e.getValue()));
        Instant now = Instant.now();
        Map<String, Queue> byGroup = new TreeMap<>();
        for (Gauge depth : meters.find("verigen.queue.depth").gauges()) {
            String group = depth.getId().getTag("group");
            String pool = depth.getId().getTag("pool");
            Gauge consumers = meters.find("verigen.queue.consumers").tag("group", group).gauge();
            Pending p = pool == null || pool.isEmpty() ? null : pending.get(pool);
            byGroup.put(group, new Queue(depth.getId().getTag("topic"), group, pool == null || pool.isEmpty() ? null
                    : pool, (long) depth.value(), consumers == null ? 0 : (long) consumers.value(),
                    p == null ? 0 : p.count(), p == null ? 0 : Duration.between(p.oldest(), now).toSeconds()));
        }
        List<Queue> pools = new ArrayList<>();
        List<Queue> queues = new ArrayList<>();
        byGroup.values().forEach(q -> (q.pool() == null ? queues : pools).add(q));
        List<Service> services = new ArrayList<>();
        services.add(new Service("gateway", "UP", 0)); // this request came through it
        services.add(new Service("orchestrator-svc", "UP", 0)); // this is it answering
        for (Queue q : queues) {
            services.add(new Service(q.group(), q.consumers() > 0 ? "UP" : "DOWN", q.consumers()));
        }
        long workers = pools.stream().mapToLong(Queue::consumers).sum();
        services.add(new Service("gpu-worker", workers > 0 ? "UP" : "DOWN", workers));
        return new Health(now, pools, queues, services);
    }

}
