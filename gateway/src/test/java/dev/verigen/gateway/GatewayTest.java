package dev.verigen.gateway;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * A gateway on a random port whose key database is the test class's static {@link KeyDatabase} field: the
 * datasource points at it, and it is dropped as the context closes after the class, once the connection pool has
 * closed ({@link KeyDatabaseContextCustomizerFactory}). Upstreams stay each test's own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ContextCustomizerFactories(KeyDatabaseContextCustomizerFactory.class)
@interface GatewayTest {
}
