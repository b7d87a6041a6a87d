package dev.verigen.generator.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.testing.HealthGroups;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Kafka-only service's readiness means something (docs/operations.md, "Health"): generator-svc (as gpu-workers,
 * reward-model-svc and verifier-svc, with the same readiness group) is not ready while it cannot reach the broker, and
 * stays live: restarting it would not bring the broker back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 6)
@DirtiesContext
class ReadinessTest {

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker kafka;

    @Test
    void notReadyWhileKafkaIsUnreachableAndStillLive() throws Exception {
        HealthGroups.AfterCut probes = HealthGroups.cut(port, kafka::destroy);
        assertThat(probes.readinessBefore()).isEqualTo(200);
        assertThat(probes.readinessAfter()).as("readiness without the broker").isEqualTo(503);
        assertThat(probes.livenessAfter()).as("liveness without the broker").isEqualTo(200);
    }
}
