package dev.verigen.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.generator.templates.ChatTemplate;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.env.StandardEnvironment;

/** The shipped application.yml binds to the pools the platform serves. */
class GeneratorPropertiesBindingTest {

    @Test
    void theShippedConfigurationDefinesTheSimulatorAndTheArithPools() throws IOException {
        var environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        GeneratorProperties properties = new Binder(ConfigurationPropertySources.get(environment))
                .bind("verigen.generator", GeneratorProperties.class).get();

        assertThat(properties.pool("sim-math")).hasValueSatisfying(p -> {
            assertThat(p.template()).isEqualTo(ChatTemplate.PLAIN);
            assertThat(p.stepDelimiter()).isEqualTo("\n");
        });
        assertThat(properties.pool("arith-tiny")).hasValueSatisfying(p -> {
            assertThat(p.template()).isEqualTo(ChatTemplate.QA);
            assertThat(p.stop()).containsExactly("\n");
        });
    }
}
