package dev.verigen.support.deadletters;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.context.annotation.Bean;

/** Every service on the Kafka binder names and counts its dead letters the same way ({@link DeadLetters}). */
@AutoConfiguration
@ConditionalOnClass(DlqDestinationResolver.class)
public class DeadLettersAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(DlqDestinationResolver.class)
    DeadLetters deadLetters(MeterRegistry meters) {
        return new DeadLetters(meters);
    }

    /**
     * Partition 0 of the dead-letter topic: the broker creates it on first use with its default partition count,
     * which may be fewer than the original topic's, so the original partition number might not exist there.
     */
    @Bean
    @ConditionalOnMissingBean(DlqPartitionFunction.class)
    DlqPartitionFunction deadLetterPartition() {
        return DlqPartitionFunction.PARTITION_ZERO;
    }
}
