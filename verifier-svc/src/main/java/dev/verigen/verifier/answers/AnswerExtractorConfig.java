package dev.verigen.verifier.answers;

import dev.verigen.verifier.VerifierProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AnswerExtractorConfig {

    @Bean
    AnswerExtractor answerExtractor(VerifierProperties properties) {
        return new AnswerExtractor(properties.maxScanChars());
    }
}
