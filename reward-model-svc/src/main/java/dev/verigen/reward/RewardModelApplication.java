package dev.verigen.reward;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RewardModelApplication {

    public static void main(String[] args) {
        SpringApplication.run(RewardModelApplication.class, args);
    }
}
