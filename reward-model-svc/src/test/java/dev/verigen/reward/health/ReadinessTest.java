package dev.verigen.reward.health;

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
 * reward-model-svc's readiness means something (docs/operations.md, "Health"): not ready while it cannot reach the
 * broker, so the Service and the compose health check stop counting on it, and still live, because restarting it would
 * not bring the broker back.
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
