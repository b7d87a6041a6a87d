package dev.verigen.orchestrator.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * The whole orchestrator application for one test class: on a random port, with an embedded Kafka broker and a
 * throw-away PostgreSQL database of its own ({@link TestDatabaseContextCustomizerFactory}), closed after the class.
 * The database ({@link dev.verigen.contracts.testing.TestDatabase}) can be autowired; it is dropped as the
 * application shuts down, after its schedulers and consumers have stopped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 2)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ContextCustomizerFactories(TestDatabaseContextCustomizerFactory.class)
public @interface OrchestratorIT {

    /** As {@link SpringBootTest#webEnvironment()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "webEnvironment")
    SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.RANDOM_PORT;

    /** As {@link SpringBootTest#properties()}: {@code key=value} pairs added to the environment. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /** As {@link EmbeddedKafka#partitions()}. */
    @AliasFor(annotation = EmbeddedKafka.class, attribute = "partitions")
    int kafkaPartitions() default 2;
}
