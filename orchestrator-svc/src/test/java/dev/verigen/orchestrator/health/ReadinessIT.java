package dev.verigen.orchestrator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.orchestrator.testing.OrchestratorIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * Readiness means something (docs/operations.md, "Health"): the orchestrator's readiness group goes DOWN while it
 * cannot reach PostgreSQL or Kafka, and UP again when it can, while liveness stays UP (restarting the process would
 * bring neither back). The database is made unreachable by refusing new connections to it and ending the open ones;
 * the broker by stopping it, last, since this class's broker is its own.
 */
@OrchestratorIT(properties = {"spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.validation-timeout=500"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessIT {

    @LocalServerPort
    int port;
    @Autowired
    TestDatabase database;
    @Autowired
    EmbeddedKafkaBroker kafka;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> probe(String group) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String group, int status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(probe(group).statusCode()).as(group).isEqualTo(status));
    }

    private void allowConnections(boolean allow) throws Exception {
        try (Connection c = DriverManager.getConnection(database.url().replace(database.name(), "postgres"),
                database.user(), database.password()); Statement s = c.createStatement()) {
            s.execute("alter database " + database.name() + " with allow_connections " + allow);
            if (!allow) {
                s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                        + database.name() + "' and pid <> pg_backend_pid()");
            }
        }
    }

    @Test
    @Order(1)
    void readyWithKafkaAndPostgreSql() throws Exception {
        awaitStatus("readiness", 200);
        String body = probe("readiness").body();
        assertThat(body).contains("\"UP\"");
        assertThat(probe("liveness").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void notReadyWhilePostgreSqlIsUnreachable() throws Exception {
        allowConnections(false);
        try {
            awaitStatus("readiness", 503);
            assertThat(probe("readiness").body()).contains("\"DOWN\"");
            assertThat(probe("liveness").statusCode()).as("liveness stays up").isEqualTo(200);
        } finally {
            allowConnections(true);
        }
        awaitStatus("readiness", 200);
    }

    @Test
    @Order(3)
    void notReadyWhileKafkaIsUnreachable() throws Exception {
        awaitStatus("readiness", 200);
        kafka.destroy();
        awaitStatus("readiness", 503);
        assertThat(probe("readiness").body()).contains("\"DOWN\"");
        assertThat(probe("liveness").statusCode()).as("liveness stays up").isEqualTo(200);
    }
}
