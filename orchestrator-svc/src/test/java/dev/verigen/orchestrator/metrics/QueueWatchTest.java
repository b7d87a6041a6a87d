package dev.verigen.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.Topics;
import dev.verigen.orchestrator.OrchestratorProperties;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * QueueWatch against a real (embedded) broker, as the platform dashboard's queue panels and the alerts
 * VerigenQueueLagGrowing and VerigenPoolWithoutWorkers read it: a pool's lag is what its group has not committed, its
 * workers the group's members, and a pool nobody ever worked still reports zero workers (the alert's whole point).
 */
@EmbeddedKafka(partitions = 2)
class QueueWatchTest {

    @Test
    void aPoolsQueueDepthIsWhatItsGroupHasNotCommittedAndAnUnworkedPoolReportsNoWorkers() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        String brokers = broker.getBrokersAsString();
        String topic = Topics.engineJobs("sim-math");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "job " + i)).get();
            }
            producer.send(new ProducerRecord<>(topic, 1, null, "job 5")).get();
        }

        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry both = new CompositeMeterRegistry();
        both.add(simple);
        both.add(prometheus);
        QueueWatch watch = new QueueWatch(new OrchestratorProperties(Set.of("sim-math", "idle"), Set.of("exact"), Set.of(),
                new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
                new OrchestratorProperties.Outbox(brokers, Duration.ofSeconds(1), 100)), both);

        // one worker thread of the pool: it has taken the first two jobs of partition 0 and none of partition 1
        try (var worker = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "gpu-worker.sim-math", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            worker.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                worker.poll(Duration.ofMillis(100));
                return worker.assignment().size() == 2;
            });
            worker.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)));

            watch.start();
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    watch.poll();
                    assertThat(gauge(simple, "verigen.queue.depth", topic)).isEqualTo(4);
                    assertThat(gauge(simple, "verigen.queue.consumers", topic)).isEqualTo(1);
                });
                assertThat(gauge(simple, "verigen.queue.depth", Topics.engineJobs("idle"))).isZero();
                assertThat(gauge(simple, "verigen.queue.consumers", Topics.engineJobs("idle"))).isZero();
                assertThat(simple.get("verigen.queue.depth").tags("topic", Topics.GENERATION_JOBS, "group", "generator-svc",
                        "pool", "").gauge()).isNotNull();

                String scrape = prometheus.scrape();
                // the dashboard's queue panels (sum by (pool) (verigen_queue_depth{pool!=""})) and the two alerts
                assertThat(scrape.lines()).anySatisfy(l -> assertThat(l).startsWith("verigen_queue_depth{")
                        .contains("group=\"gpu-worker.sim-math\"", "pool=\"sim-math\"", "topic=\"" + topic + "\"")
                        .endsWith(" 4.0"));
                assertThat(scrape.lines()).anySatisfy(l -> assertThat(l).startsWith("verigen_queue_consumers{")
                        .contains("pool=\"idle\"", "group=\"gpu-worker.idle\"").endsWith(" 0.0"));
                assertThat(scrape.lines()).anySatisfy(l -> assertThat(l).startsWith("verigen_queue_consumers{")
                        .contains("pool=\"sim-math\"").endsWith(" 1.0"));

                // the worker leaves: the pool has no workers any more, and its jobs are still waiting
                worker.unsubscribe();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    watch.poll();
                    assertThat(gauge(simple, "verigen.queue.consumers", topic)).isZero();
                });
                assertThat(gauge(simple, "verigen.queue.depth", topic)).isEqualTo(4);
            } finally {
                watch.stop();
            }
        }
    }

    private static double gauge(SimpleMeterRegistry meters, String name, String topic) {
        return meters.get(name).tag("topic", topic).gauge().value();
    }
}
