package dev.verigen.reward.health;

import dev.verigen.contracts.testing.KafkaOnlyReadinessContract;
import org.springframework.boot.test.context.SpringBootTest;
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
class ReadinessTest extends KafkaOnlyReadinessContract {
}
