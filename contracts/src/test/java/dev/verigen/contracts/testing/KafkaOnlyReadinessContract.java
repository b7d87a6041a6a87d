package dev.verigen.contracts.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * What readiness means for a service whose only dependency is Kafka (docs/operations.md, "Health"): not ready while
 * it cannot reach the broker, so the Service and the compose health check stop sending it work, and still live,
 * because restarting it would not bring the broker back. A service's test extends this with its own
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} on an {@code @EmbeddedKafka} broker and {@code @DirtiesContext}
 * (the test destroys the broker).
 */
public abstract class KafkaOnlyReadinessContract {

    @LocalServerPort
    protected int port;
    @Autowired
    protected EmbeddedKafkaBroker kafka;

    @Test
    void notReadyWhileKafkaIsUnreachableAndStillLive() throws Exception {
        HealthGroups.AfterCut probes = HealthGroups.cut(port, kafka::destroy);
        assertThat(probes.readinessBefore()).isEqualTo(200);
        assertThat(probes.readinessAfter()).as("readiness without the broker").isEqualTo(503);
        assertThat(probes.livenessAfter()).as("liveness without the broker").isEqualTo(200);
    }
}
