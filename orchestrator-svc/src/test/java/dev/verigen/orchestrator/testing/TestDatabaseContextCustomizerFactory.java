package dev.verigen.orchestrator.testing;

import dev.verigen.contracts.testing.TestDatabase;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives each application context of an {@link OrchestratorIT} test a {@link TestDatabase} of its own, named after the
 * test class, and points the datasource at it and the Kafka binder at the embedded broker. The database is a bean
 * (autowire {@code TestDatabase}) and is dropped as the context closes, after every other bean has been destroyed:
 * its drop is registered as a disposable bean before the context is refreshed, and
 * {@code DefaultSingletonBeanRegistry#destroySingletons} destroys disposable beans in the reverse order of their
 * registration. (An {@code @AfterAll} would drop it under a still-running application, whose schedulers and consumers
 * then wait for connections.)
 */
public final class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    /** The name of the {@link TestDatabase} bean. */
    public static final String BEAN_NAME = "orchestratorTestDatabase";

    private static final Logger log = LoggerFactory.getLogger(TestDatabaseContextCustomizerFactory.class);

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new TestDatabaseContextCustomizer();
    }

    /** All alike (the database is named when a context is built), so they leave the context cache key as it was. */
    private static final class TestDatabaseContextCustomizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestDatabase db = TestDatabase.create(config.getTestClass().getSimpleName().toLowerCase(Locale.ROOT));
            var beans = (DefaultSingletonBeanRegistry) context.getBeanFactory();
            beans.registerSingleton(BEAN_NAME, db);
            beans.registerDisposableBean(BEAN_NAME, () -> {
                log.info("Dropping test database {}", db.name());
                db.close();
            });
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(BEAN_NAME, Map.of(
                    "spring.datasource.url", db.url(),
                    "spring.datasource.username", db.user(),
                    "spring.datasource.password", db.password(),
                    "spring.cloud.stream.kafka.binder.brokers",
                    "${" + EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS + "}")));
        }

        @Override
        public boolean equals(Object other) {
            return other != null && other.getClass() == getClass();
        }

        @Override
        public int hashCode() {
            return getClass().hashCode();
        }
    }
}
