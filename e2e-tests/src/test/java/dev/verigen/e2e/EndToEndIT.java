package dev.verigen.e2e;

import dev.verigen.contracts.testing.TestDatabase;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The whole platform against an embedded KRaft broker and the machine's real PostgreSQL. */
class EndToEndIT extends PlatformScenarios {

    private EmbeddedKafkaKraftBroker kafka;
    private TestDatabase db;
    private TestDatabase sqlSandbox;

    @Override
    protected void startInfrastructure() {
        kafka = new EmbeddedKafkaKraftBroker(1, 6);
        kafka.afterPropertiesSet();
        db = TestDatabase.create("e2e");
        sqlSandbox = TestDatabase.create("e2esql");
    }

    @Override
    protected String kafkaBootstrap() {
        return kafka.getBrokersAsString();
    }

    @Override
    protected String dbUrl() {
        return db.url();
    }

    @Override
    protected String dbUser() {
        return db.user();
    }

    @Override
    protected String dbPassword() {
        return db.password();
    }

    @Override
    protected String sqlSandboxUrl() {
        return sqlSandbox.url();
    }

    @Override
    protected void stopInfrastructure() {
        if (db != null) {
            db.close();
        }
        if (sqlSandbox != null) {
            sqlSandbox.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }
}
