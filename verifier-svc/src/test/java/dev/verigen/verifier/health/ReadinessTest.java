package dev.verigen.verifier.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * verifier-svc's readiness means something (docs/operations.md, "Health"): not ready while it cannot reach the broker,
 * so the Service and the compose health check stop counting on it, and still live, because restarting it would not
 * bring the broker back.
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

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(String group) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void notReadyWhileKafkaIsUnreachableAndStillLive() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(status("readiness")).isEqualTo(200));
        kafka.destroy();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(status("readiness")).isEqualTo(503));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status("liveness")).isEqualTo(200));
    }
}
