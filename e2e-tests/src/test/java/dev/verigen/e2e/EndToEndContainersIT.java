package dev.verigen.e2e;

import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same scenarios (and assertions, inherited from {@link PlatformScenarios}) against PostgreSQL and Kafka
 * containers, where a Docker engine runs; skipped elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class EndToEndContainersIT extends PlatformScenarios {

    private PostgreSQLContainer postgres;
    private KafkaContainer kafka;

    @Override
    protected void startInfrastructure() {
        postgres = new PostgreSQLContainer("postgres:15-alpine");
        kafka = new KafkaContainer("apache/kafka:4.1.0");
        postgres.start();
        kafka.start();
    }

    @Override
    protected String kafkaBootstrap() {
        return kafka.getBootstrapServers();
    }

    @Override
    protected String dbUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    protected String dbUser() {
        return postgres.getUsername();
    }

    @Override
    protected String dbPassword() {
        return postgres.getPassword();
    }

    @Override
    protected String sqlSandboxUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    protected void stopInfrastructure() {
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }
}
