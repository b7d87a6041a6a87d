package dev.verigen.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verigen.deploy.Repo;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Where a Docker engine runs (a developer's laptop, a CI with Docker; not the machine these tests were written on),
 * the images this build made are loaded into it and docker-compose.yml is brought up as it is — official Kafka and
 * PostgreSQL images, the credentials step, every service from its image — and a best-of-N run and an arith-tiny run
 * go through the published gateway. Skipped cleanly without Docker; ChartRunIT runs the same images without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeUpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODULES = List.of("gateway", "orchestrator-svc", "generator-svc", "gpu-worker",
            "reward-model-svc", "verifier-svc");

    @Test
    void theComposeFileRunsTheBuiltImagesEndToEnd() throws Exception {
        for (String module : MODULES) {
            try (InputStream tar = Files.newInputStream(Repo.image(module))) {
                DockerClientFactory.instance().client().loadImageCmd(tar).exec();
            }
        }
        try (ComposeContainer compose = new ComposeContainer(Repo.root().resolve("docker-compose.yml").toFile())
                .withEnv("VERIGEN_PORT", "0")
                .withPull(false)
                .withExposedService("gateway", 8080, Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(6)))
                .withRemoveVolumes(true)) {
            compose.start();
            String gateway = "http://" + compose.getServiceHost("gateway", 8080) + ":" + compose.getServicePort("gateway", 8080);
            String key = Files.readString(Repo.root().resolve(".verigen/dev-admin-key")).strip();
            HttpClient http = HttpClient.newHttpClient();

            for (String body : List.of("""
                    {"pipeline": {"strategy": "best_of_n", "n": 8, "model": "sim-math", "verifier": {"type": "numeric"},
                                  "rewardModel": "sim-orm", "seed": 7},
                     "input": {"prompt": "What is 37 + 48?", "reference": "85"}, "budget": {"maxTokens": 20000}}""", """
                    {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "arith-tiny", "verifier": {"type": "numeric"},
                                  "maxTokens": 8, "seed": 3},
                     "input": {"prompt": "What is 40 + 16? Answer with just the number.", "reference": "56"}}""")) {
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/runs"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
                String id = JSON.readTree(created.body()).path("id").asText();
                JsonNode run = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> JSON.readTree(
                        http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/runs/" + id)).header("Authorization", "Bearer " + key)
                                .build(), HttpResponse.BodyHandlers.ofString()).body()),
                        r -> List.of("SUCCEEDED", "FAILED").contains(r.path("status").asText()));
                assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
            }
        }
    }
}
