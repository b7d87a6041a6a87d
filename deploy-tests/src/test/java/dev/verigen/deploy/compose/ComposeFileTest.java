package dev.verigen.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.verigen.deploy.Repo;
import dev.verigen.deploy.runtime.OciImage;
import dev.verigen.deploy.wiring.ServiceEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Grafana's provisioning folder in its image (GF_PATHS_PROVISIONING). */
    private static final String GRAFANA_PROVISIONING = "/etc/grafana/provisioning";
    private static final int OTLP_GRPC = 4317;
    private static final int OTLP_HTTP = 4318;
    /** What the upstream images serve: Prometheus's API, Jaeger's query API and UI and its OTLP receivers, Grafana. */
    private static final Map<String, List<Integer>> UPSTREAM_PORTS = Map.of("prom/prometheus", List.of(9090),
            "jaegertracing/jaeger", List.of(16686, OTLP_GRPC, OTLP_HTTP), "grafana/grafana", List.of(3000));
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

    // ---------------------------------------------------------------- the observability profile

    /**
     * Grafana provisions dashboards only from the paths its file providers name, inside the container: a dashboard
     * folder mounted anywhere else, or a provider pointing at a path nothing is mounted on, leaves Grafana empty
     * without an error anyone sees.
     */
    @Test
    void grafanaProvisionsEveryDashboardOfTheRepoFromWhereTheFileMountsIt() throws IOException {
        assertThat(env("grafana")).doesNotContainKey("GF_PATHS_PROVISIONING");
        List<String> providerPaths = new ArrayList<>();
        for (JsonNode provisioning : provisioningFiles("grafana", GRAFANA_PROVISIONING + "/dashboards")) {
            for (JsonNode provider : provisioning.path("providers")) {
                assertThat(provider.path("type").asText("file")).isEqualTo("file");
                String path = provider.at("/options/path").asText();
                assertThat(hostPath("grafana", path)).as("provider %s reads %s, where nothing is mounted", provider.path("name"), path)
                        .isDirectory();
                providerPaths.add(path);
            }
        }
        assertThat(providerPaths).isNotEmpty();
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(Repo.root().resolve("k8s/verigen/dashboards"))) {
            dashboards = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(2);
        for (Path dashboard : dashboards) {
            String inContainer = containerPath("grafana", dashboard);
            assertThat(inContainer).as("%s is not mounted into Grafana", Repo.root().relativize(dashboard)).isNotNull();
            assertThat(providerPaths).as("%s is mounted at %s, under no dashboard provider's path", dashboard.getFileName(), inContainer)
                    .anySatisfy(p -> assertThat(inContainer).startsWith(p.endsWith("/") ? p : p + "/"));
            assertThat(JSON.readTree(dashboard.toFile()).path("uid").asText()).as(dashboard.toString()).isNotBlank();
        }
    }

    @Test
    void grafanaDataSourcesNameServicesOfTheFileOnPortsTheyServe() throws IOException {
        Map<String, String> urlByType = new HashMap<>();
        for (JsonNode provisioning : provisioningFiles("grafana", GRAFANA_PROVISIONING + "/datasources")) {
            for (JsonNode source : provisioning.path("datasources")) {
                String url = source.path("url").asText();
                Matcher m = ENDPOINT.matcher(url);
                assertThat(m.find()).as("data source %s: %s", source.path("name"), url).isTrue();
                assertThat(servedPorts(m.group(1))).as("data source %s: %s", source.path("name"), url)
                        .contains(Integer.parseInt(m.group(2)));
                urlByType.put(source.path("type").asText(), m.group(1));
            }
        }
        // the dashboards take any data source of type prometheus (their datasource variable); traces are read from Jaeger
        assertThat(urlByType).containsOnlyKeys("prometheus", "jaeger");
        assertThat(image(urlByType.get("prometheus"))).isEqualTo("prom/prometheus");
        assertThat(urlByType.get("jaeger")).isEqualTo(traceViewer());
    }

    /**
     * The services send spans to the collector's OTLP/HTTP receiver, and the collector's traces pipeline hands them to
     * the service Grafana and the published UI read traces from: a pipeline exporting anywhere else (or only to the
     * debug exporter) loses every trace while each service reports a successful export.
     */
    @Test
    void theCollectorReceivesWhatTheServicesSendAndExportsTracesToTheTraceViewer() throws IOException {
        JsonNode config = collectorConfig();
        JsonNode traces = config.at("/service/pipelines/traces");
        assertThat(traces.isObject()).as("the collector has no traces pipeline").isTrue();
        for (String section : List.of("receivers", "processors", "exporters")) {
            traces.path(section).forEach(id -> assertThat(config.path(section).has(id.asText()))
                    .as("the traces pipeline uses %s %s, which is not defined", section, id.asText()).isTrue());
        }

        int sending = 0;
        for (String service : verigenServices().keySet()) {
            String endpoint = env(service).get("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
            assertThat(endpoint).as("%s exports no spans", service).isNotNull();
            Matcher m = ENDPOINT.matcher(endpoint);
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).as(service).isEqualTo("otel-collector");
            // Spring Boot's exporter speaks OTLP over HTTP: the port has to be a receiver's http protocol
            assertThat(receiverPorts(config, traces, "http")).as("%s sends to %s", service, endpoint)
                    .contains(Integer.parseInt(m.group(2)));
            assertThat(endpoint).endsWith("/v1/traces");
            sending++;
        }
        assertThat(sending).isGreaterThanOrEqualTo(6);

        List<String> exporters = new ArrayList<>();
        traces.path("exporters").forEach(e -> exporters.add(e.asText()));
        assertThat(exporters).as("the traces pipeline exports to the trace viewer").anySatisfy(id -> {
            String type = id.split("/")[0];
            assertThat(type).isIn("otlp", "otlphttp");
            Matcher m = ENDPOINT.matcher(config.path("exporters").path(id).path("endpoint").asText());
            assertThat(m.find()).as(id).isTrue();
            assertThat(m.group(1)).as(id).isEqualTo(traceViewer());
            assertThat(Integer.parseInt(m.group(2))).as(id).isEqualTo(type.equals("otlp") ? OTLP_GRPC : OTLP_HTTP)
                    .isIn(servedPorts(traceViewer()));
        });
        assertThat(compose.at("/services/otel-collector/depends_on").has(traceViewer())).isTrue();
        assertThat(compose.at("/services/" + traceViewer() + "/ports/0/target").asInt()).isIn(servedPorts(traceViewer()));
    }

    /**
     * Prometheus scrapes what the dashboards and alerts query: every Verigen service of the file (the gpu profile's
     * pool too), on the port the service listens on, at the actuator's path, with the credential the services ask for.
     */
    @Test
    void prometheusScrapesEveryServiceOfTheFileOnItsActuatorEndpoint() throws IOException {
        assertThat(compose.at("/services/prometheus/command").isMissingNode()).as("the image's default --config.file").isTrue();
        JsonNode config = YAML.readTree(hostPath("prometheus", "/etc/prometheus/prometheus.yml").toFile());
        Map<String, Integer> scraped = new HashMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText()).as(job.path("job_name").asText()).isEqualTo("/actuator/prometheus");
            assertThat(job.path("scheme").asText("http")).isEqualTo("http");
            String secret = job.at("/authorization/credentials_file").asText();
            assertThat(hostPath("prometheus", secret)).as("%s: credentials_file %s", job.path("job_name"), secret)
                    .isEqualTo(hostPath("credentials", "/state/compose/prometheus/gateway-secret"));
            for (JsonNode group : job.path("static_configs")) {
                for (JsonNode target : group.path("targets")) {
                    String[] hostPort = target.asText().split(":");
                    scraped.put(hostPort[0], Integer.parseInt(hostPort[1]));
                }
            }
            for (JsonNode dns : job.path("dns_sd_configs")) {
                assertThat(dns.path("type").asText()).isEqualTo("A");
                dns.path("names").forEach(n -> scraped.put(n.asText(), dns.path("port").asInt()));
            }
        }
        assertThat(compose.at("/services/credentials/command").toString()).contains("/state/compose/prometheus/gateway-secret");
        assertThat(scraped.keySet()).as("scraped hosts are the Verigen services of the file")
                .containsExactlyInAnyOrderElementsOf(verigenServices().keySet());
        scraped.forEach((host, port) -> assertThat(port).as("%s's actuator port", host).isEqualTo(actuatorPort(host)));

        List<Path> rules;
        try (Stream<Path> files = Files.list(Repo.root().resolve("k8s/verigen/alerts"))) {
            rules = files.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        assertThat(rules).isNotEmpty();
        for (Path rule : rules) {
            String inContainer = containerPath("prometheus", rule);
            assertThat(inContainer).as("%s is not mounted into Prometheus", rule).isNotNull();
            List<String> globs = new ArrayList<>();
            config.path("rule_files").forEach(g -> globs.add(g.asText()));
            assertThat(globs).as("%s (at %s) matches no rule_files pattern", rule.getFileName(), inContainer)
                    .anyMatch(g -> FileSystems.getDefault().getPathMatcher("glob:" + g).matches(Path.of(inContainer)));
        }
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

    /** The files Grafana reads from one provisioning folder (in the container), found through the service's mounts. */
    private static List<JsonNode> provisioningFiles(String service, String folder) throws IOException {
        Path host = hostPath(service, folder);
        assertThat(host).as("nothing is mounted on %s in %s", folder, service).isDirectory();
        List<JsonNode> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(host)) {
            for (Path f : list.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList()) {
                files.add(YAML.readTree(f.toFile()));
            }
        }
        assertThat(files).as(folder).isNotEmpty();
        return files;
    }

    private static JsonNode collectorConfig() throws IOException {
        String path = null;
        for (JsonNode arg : compose.at("/services/otel-collector/command")) {
            if (arg.asText().startsWith("--config=")) {
                path = arg.asText().substring("--config=".length());
            }
        }
        assertThat(path).as("the collector's --config").isNotNull();
        return YAML.readTree(hostPath("otel-collector", path).toFile());
    }

    /** The ports the pipeline's OTLP receivers listen on for one protocol (grpc, http). */
    private static List<Integer> receiverPorts(JsonNode config, JsonNode pipeline, String protocol) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode id : pipeline.path("receivers")) {
            if (id.asText().split("/")[0].equals("otlp")) {
                JsonNode p = config.path("receivers").path(id.asText()).path("protocols").path(protocol);
                if (!p.isMissingNode()) {
                    String endpoint = p.path("endpoint").asText();
                    // the collector's defaults where a protocol is enabled without an endpoint
                    ports.add(endpoint.isEmpty() ? (protocol.equals("grpc") ? OTLP_GRPC : OTLP_HTTP)
                            : Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
                }
            }
        }
        return ports;
    }

    /** The service Grafana's Jaeger data source and the collector must agree on: the file's Jaeger. */
    private static String traceViewer() {
        List<String> viewers = new ArrayList<>();
        compose.path("services").fieldNames().forEachRemaining(s -> {
            if (image(s).equals("jaegertracing/jaeger")) {
                viewers.add(s);
            }
        });
        assertThat(viewers).hasSize(1);
        return viewers.getFirst();
    }

    private static String image(String service) {
        String image = compose.path("services").path(service).path("image").asText();
        return image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    }

    /** The ports a service of the file listens on: the upstream images' own, the collector's from its config. */
    private static List<Integer> servedPorts(String service) {
        assertThat(compose.path("services").has(service)).as("%s is no service of the file", service).isTrue();
        if (service.equals("otel-collector")) {
            try {
                JsonNode config = collectorConfig();
                JsonNode traces = config.at("/service/pipelines/traces");
                List<Integer> ports = new ArrayList<>(receiverPorts(config, traces, "grpc"));
                ports.addAll(receiverPorts(config, traces, "http"));
                return ports;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<Integer> ports = UPSTREAM_PORTS.get(image(service));
        assertThat(ports).as("ports of %s (%s)", service, image(service)).isNotNull();
        return ports;
    }

    /**
     * The port a Verigen service answers /actuator/prometheus on: its server port, since no service moves the actuator
     * to a port of its own. The image sets SERVER_PORT from the module's verigen.image.port (the root pom's jib
     * configuration); read from there so this holds without the images built.
     */
    private static int actuatorPort(String service) {
        Map<String, String> env = env(service);
        assertThat(env).doesNotContainKey("MANAGEMENT_SERVER_PORT");
        String module = verigenServices().get(service);
        try {
            JsonNode application = YAML.readTree(Repo.root().resolve(module).resolve("src/main/resources/application.yml").toFile());
            assertThat(application.at("/management/server/port").isMissingNode()).as(module).isTrue();
            if (env.containsKey("SERVER_PORT")) {
                return Integer.parseInt(env.get("SERVER_PORT"));
            }
            Matcher m = Pattern.compile("<verigen\\.image\\.port>(\\d+)</verigen\\.image\\.port>")
                    .matcher(Files.readString(Repo.root().resolve(module).resolve("pom.xml")));
            assertThat(m.find()).as("%s/pom.xml sets verigen.image.port", module).isTrue();
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** service's bind mounts as container path → host path (the file's relative sources, resolved by Compose). */
    private static Map<String, Path> binds(String service) {
        Map<String, Path> binds = new LinkedHashMap<>();
        for (JsonNode v : compose.path("services").path(service).path("volumes")) {
            String source;
            String target;
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                source = parts[0];
                target = parts[1];
            } else {
                source = v.path("source").asText();
                target = v.path("target").asText();
            }
            if (source.startsWith("/")) {
                binds.put(target, Path.of(source));
            }
        }
        return binds;
    }

    /** Where a path inside service's container comes from on the host, through the deepest bind mount above it. */
    private static Path hostPath(String service, String inContainer) {
        String best = null;
        for (String target : binds(service).keySet()) {
            if ((inContainer.equals(target) || inContainer.startsWith(target + "/")) && (best == null || target.length() > best.length())) {
                best = target;
            }
        }
        assertThat(best).as("%s: nothing is mounted on %s", service, inContainer).isNotNull();
        return binds(service).get(best).resolve(inContainer.substring(best.length()).replaceFirst("^/", ""));
    }

    /** Where a host file appears inside service's container; null where no bind mount carries it. */
    private static String containerPath(String service, Path hostFile) {
        Path file = hostFile.toAbsolutePath().normalize();
        for (Map.Entry<String, Path> b : binds(service).entrySet()) {
            if (file.startsWith(b.getValue())) {
                String rest = b.getValue().relativize(file).toString();
                return rest.isEmpty() ? b.getKey() : b.getKey() + "/" + rest;
            }
        }
        return null;
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
            return JSON.writeValueAsString(YAML.readTree(out));
        }
        return out;
    }
}
