package dev.verigen.reward.genrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** An instance's reply topic does not outlive it (issue 16: one topic per instance piled up with every restart). */
@EmbeddedKafka(partitions = 1)
class ReplyTopicLifecycleTest {

    @Test
    void theReplyTopicHoldsMessagesBrieflyAndIsDeletedWhenTheInstanceStops() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        String brokers = broker.getBrokersAsString();
        var properties = new GenRmProperties("", 0.7, 256, 4, 32, Duration.ofSeconds(5));
        GenerationClient client = new GenerationClient(null, properties, new SimpleMeterRegistry(), brokers);
        client.ensureStarted();
        String topic = client.replyTopic();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            assertThat(admin.listTopics().names().get()).contains(topic);
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                    .isEqualTo(Long.toString(Duration.ofHours(1).toMillis()));

            client.destroy();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(admin.listTopics().names().get()).doesNotContain(topic));
        }
    }
}
