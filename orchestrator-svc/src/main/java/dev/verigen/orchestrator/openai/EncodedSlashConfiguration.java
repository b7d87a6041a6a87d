package dev.verigen.orchestrator.openai;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Model names hold a slash ({@code bon-8/sim-math}), and OpenAI clients encode it in {@code GET /v1/models/{id}}
 * ({@code bon-8%2Fsim-math}), which Tomcat refuses by default. Passed through encoded, the path still splits only at
 * real slashes, and the path variable is decoded when it is bound, so no route can be reached that the plain path
 * could not reach; a variable that now holds a slash fails its own validation (names, UUIDs) as any bad value does.
 */
@Configuration(proxyBeanMethods = false)
class EncodedSlashConfiguration {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> encodedSlashesPassThrough() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }
}
