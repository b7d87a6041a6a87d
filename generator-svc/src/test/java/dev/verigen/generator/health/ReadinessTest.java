package dev.verigen.generator.health;

import dev.verigen.contracts.testing.KafkaOnlyReadinessContract;
import org.springframework.boot.test.context.SpringBootTest;
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
class ReadinessTest extends KafkaOnlyReadinessContract {
}
