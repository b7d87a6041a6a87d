package dev.verigen.orchestrator;

import dev.verigen.orchestrator.migrations.MigrateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import java.time.Clock;

@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class OrchestratorApplication {

    public static void main(String[] args) {
        if (MigrateCommand.requested(args)) {
            System.exit(MigrateCommand.run(System.getenv()));
        }
        SpringApplication.run(OrchestratorApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
