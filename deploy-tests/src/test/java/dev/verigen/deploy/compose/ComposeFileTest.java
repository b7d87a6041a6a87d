package dev.verigen.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verigen.deploy.Repo;
import dev.verigen.deploy.runtime.OciImage;
import dev.verigen.deploy.wiring.ServiceEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker-compose.yml, read by a real Compose implementation (Debian's docker-compose, which validates against the
 * Compose specification's schema and resolves anchors, profiles and interpolation; ./verigen test installs it), then
 * its wiring checked against the services themselves: every variable is one the service reads, every host name is a
 * service of the file and every port the one that service listens on, health checks ask the readiness group.
 */
class ComposeFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENDPOINT = Pattern.compile("(?:https?://|jdbc:postgresql://|^)([a-z][a-z0-9-]*):(\\d+)");
    /** The official images' ports, and our images' own (their SERVER_PORT). */
    private static final Map<String, Integer> INFRA_PORTS = Map.of("kafka", 9092, "postgres", 5432, "vllm", 8000,
            "prometheus", 9090, "jaeger", 4317, "otel-collector", 4318);
    private static JsonNode compose;

    @BeforeAll
    static void resolve() throws Exception {
        compose = JSON.readTree(dockerCompose("--profile", "observability", "--profile", "gpu", "config"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "observability", "gpu"})
    void aComposeImplementationAcceptsEveryProfile(String profile) throws Exception {
        List<String> args = new ArrayList<>();
        if (!profile.isEmpty()) {
            args.addAll(List.of("--profile", profile));
        }
        args.addAll(List.of("config", "-q"));
        dockerCompose(args.toArray(String[]::new));
    }

    @Test
    void everyVariableIsOneItsServiceReads() {
        int checked = 0;
        for (Map.Entry<String, String> s : verigenServices().entrySet()) {
            Map<String, String> env = env(s.getKey());
            List<String> unread = ServiceEnvironment.of(s.getValue()).unread(env);
            assertThat(unread).as("%s (%s) is given variables it never reads", s.getKey(), s.getValue()).isEmpty();
            checked += env.size();
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void everyHostIsAServiceOfTheFileAndEveryPortTheOneItListensOn() {
        Map<String, Integer> ports = new HashMap<>(INFRA_PORTS);
        verigenServices().forEach((service, module) -> ports.put(service, imagePort(module)));
        int endpoints = 0;
        for (String service : verigenServices().keySet()) {
            for (Map.Entry<String, String> v : env(service).entrySet()) {
                for (String part : v.getValue().split(",")) {
                    Matcher m = ENDPOINT.matcher(part.strip());
                    if (m.find()) {
                        endpoints++;
                        assertThat(compose.path("services").has(m.group(1)))
                                .as("%s: %s=%s names no service of the file", service, v.getKey(), v.getValue()).isTrue();
                        assertThat(Integer.parseInt(m.group(2))).as("%s: %s=%s", service, v.getKey(), v.getValue())
                                .isEqualTo(ports.get(m.group(1)));
                    }
                }
            }
        }
        assertThat(endpoints).as("URLs and bootstrap servers checked").isGreaterThanOrEqualTo(12);
        for (String target : compose.at("/services/prometheus/volumes").findValuesAsText("source")) {
            assertThat(target).isNotBlank();
        }
    }

    @Test
    void servicesStartAfterWhatTheyNeedIsHealthyAndAreCheckedOnTheirReadinessGroup() {
        for (String service : verigenServices().keySet()) {
            JsonNode s = compose.path("services").path(service);
            assertThat(s.at("/depends_on/kafka/condition").asText()).as(service).isEqualTo("service_healthy");
            assertThat(s.at("/depends_on/postgres/condition").asText()).as(service).isEqualTo("service_healthy");
            assertThat(s.at("/depends_on/credentials/condition").asText()).isEqualTo("service_completed_successfully");
            List<String> test = new ArrayList<>();
            s.at("/healthcheck/test").forEach(t -> test.add(t.asText()));
            assertThat(test).contains("dev.verigen.support.health.HealthProbe", "@/app/jib-classpath-file");
            assertThat(s.path("read_only").asBoolean()).as(service).isTrue();
        }
        assertThat(compose.at("/services/gateway/depends_on/orchestrator/condition").asText()).isEqualTo("service_healthy");
        assertThat(compose.at("/services/kafka/healthcheck/test").toString()).contains("kafka-broker-api-versions");
        assertThat(compose.at("/services/postgres/healthcheck/test").toString()).contains("pg_isready");
    }

    @Test
    void onlyTheGatewayIsPublishedOutsideTheObservabilityProfile() {
        List<String> published = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            boolean observability = s.getValue().path("profiles").toString().contains("observability");
            if (s.getValue().has("ports") && !observability) {
                published.add(s.getKey());
            }
        }
        assertThat(published).containsExactly("gateway");
        assertThat(compose.at("/services/gateway/ports/0/target").asInt()).isEqualTo(8080);
    }

    @Test
    void theTwoDefaultPoolsAndTheGpuPoolAreWiredToTheirEngines() {
        assertThat(env("worker-sim-math")).containsEntry("WORKER_POOL", "sim-math").containsEntry("WORKER_BACKEND", "sim");
        assertThat(env("worker-arith-tiny")).containsEntry("WORKER_POOL", "arith-tiny").containsEntry("WORKER_BACKEND", "llamacpp")
                .doesNotContainKey("LLAMACPP_MODEL_PATH"); // the image's own model, no volume
        assertThat(OciImage.read(Repo.image("gpu-worker")).env()).containsEntry("LLAMACPP_MODEL_PATH", "/models/arith-tiny.gguf");
        assertThat(env("orchestrator").get("VERIGEN_ORCHESTRATOR_POOLS")).isEqualTo("sim-math,arith-tiny");
        assertThat(env("worker-vllm")).containsEntry("WORKER_BACKEND", "openai").containsEntry("OPENAI_BASE_URL", "http://vllm:8000");
        JsonNode gpu = compose.at("/services/vllm/deploy/resources/reservations/devices/0");
        assertThat(gpu.path("capabilities").toString()).contains("gpu");
        assertThat(compose.at("/services/worker-vllm/profiles").toString()).contains("gpu");
        assertThat(compose.path("volumes").has("kafka-data")).isTrue();
        assertThat(compose.path("volumes").has("postgres-data")).isTrue();
    }

    /** Each file the credentials service hands a service names a property that service binds (configtree import). */
    @Test
    void credentialsArriveAsPropertiesTheServicesBind() {
        String script = compose.at("/services/credentials/command").toString();
        Matcher m = Pattern.compile("/state/compose/([a-z-]+)/([a-z0-9.-]+)").matcher(script);
        int files = 0;
        while (m.find()) {
            if (m.group(2).isEmpty() || !m.group(2).contains(".")) {
                continue;
            }
            files++;
            String module = verigenServices().get(m.group(1));
            String variable = m.group(2).replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
            assertThat(ServiceEnvironment.of(module).reads(variable)).as("%s binds %s", m.group(1), m.group(2)).isTrue();
            assertThat(compose.at("/services/" + m.group(1) + "/volumes").toString()).contains("/run/verigen");
        }
        // the gateway's secret and the bootstrap key for the gateway and the orchestrator, the gateway's credential for
        // every service behind it (orchestrator, generator, three workers, reward model, verifier)
        assertThat(files).isEqualTo(10);
        assertThat(env("orchestrator")).doesNotContainKeys("VERIGEN_BOOTSTRAP_KEY", "VERIGEN_GATEWAY_SECRET");
        assertThat(env("verifier").get("VERIGEN_SANDBOX_SCRATCH_DIR")).isEqualTo("/sandbox");
        assertThat(compose.at("/services/verifier/cap_add").toString())
                .isEqualTo("[\"CHOWN\",\"DAC_OVERRIDE\",\"FOWNER\",\"KILL\",\"SETUID\",\"SETGID\"]");
    }

    // ---------------------------------------------------------------- helpers

    /** compose service → the module whose image it runs. */
    private static Map<String, String> verigenServices() {
        Map<String, String> services = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            Matcher m = Pattern.compile("^verigen/([a-z-]+):").matcher(s.getValue().path("image").asText());
            if (m.find()) {
                services.put(s.getKey(), m.group(1));
            }
        }
        assertThat(services.values()).contains("gateway", "orchestrator-svc", "generator-svc", "gpu-worker", "reward-model-svc", "verifier-svc");
        return services;
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        compose.path("services").path(service).path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static int imagePort(String module) {
        return Integer.parseInt(OciImage.read(Repo.image(module)).env().get("SERVER_PORT"));
    }

    /** Runs Debian's docker-compose (v1 syntax checker of the Compose spec) on the file; its output, as JSON where asked. */
    private static String dockerCompose(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-directory", Repo.root().toString(),
                "-f", Repo.root().resolve("docker-compose.yml").toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("docker-compose is not installed: ./verigen test installs it (apt-get install docker-compose)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose %s: %s", String.join(" ", args), err).isZero();
        if (List.of(args).contains("config") && !List.of(args).contains("-q")) {
            return JSON.writeValueAsString(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(out));
        }
        return out;
    }
}
