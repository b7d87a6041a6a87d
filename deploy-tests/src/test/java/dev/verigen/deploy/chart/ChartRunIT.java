package dev.verigen.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.deploy.Repo;
import dev.verigen.deploy.runtime.KafkaBroker;
import dev.verigen.deploy.runtime.PodNetwork;
import dev.verigen.deploy.runtime.TcpProxy;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chart must actually run. Its rendering (with the migration hook) is started on this machine as a cluster
 * would run it ({@link LocalCluster}): every Deployment's container from the image the build made, in a network
 * namespace of its own, with the environment, user, capabilities, read-only root, emptyDirs and memory limit of its
 * rendered pod spec, Services as cluster IPs, Service names resolved as cluster DNS would. Kafka (a real broker) and
 * PostgreSQL stand outside the cluster, as the chart's default (external) settings expect. A chart whose wiring is
 * wrong — a name, a port, a variable, a selector, a missing Secret key — fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "verigen";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private PodNetwork network;
    private KafkaBroker kafka;
    private TestDatabase db;
    private TestDatabase sqlSandbox;
    private TcpProxy postgres;
    private LocalCluster cluster;
    private Manifests manifests;
    private String adminKey;
    private String gateway;
    /** every service answers metrics only with it, as the ServiceMonitors present it */
    private String gatewaySecret;

    @BeforeAll
    void install() throws Exception {
        if (!PodNetwork.available()) {
            throw new IllegalStateException("this test makes network namespaces and cgroups: it needs root and iproute2, "
                    + "as ./verigen test runs it in CI");
        }
        Path work = Repo.target().resolve("chart-run");
        deleteTree(work.resolve("pods"));
        network = PodNetwork.create();
        kafka = KafkaBroker.start(network.hostAddress(), 9092, work.resolve("pods/kafka"));
        db = TestDatabase.create("chartrun");
        sqlSandbox = TestDatabase.create("chartrunsql");
        postgres = TcpProxy.start(network.hostAddress(), 5432, () -> Optional.of(new InetSocketAddress("127.0.0.1", 5432)));

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("kafka.bootstrapServers", "kafka.data.svc:9092");
        values.put("kafka.replicationFactor", "1");
        values.put("postgresql.host", "postgres.data.svc");
        values.put("postgresql.database", db.name());
        values.put("postgresql.username", db.user());
        values.put("postgresql.password", "trust-auth-ignores-it");
        values.put("postgresql.sqlSandbox.database", sqlSandbox.name());
        values.put("services.gateway.replicas", "1");
        values.put("services.orchestrator.replicas", "1");
        // seven JVMs start at once on two cores: the quick JIT, as ./verigen up uses, halves the wait
        values.put("defaults.javaOptions", "-XX:TieredStopAtLevel=1");
        manifests = new ChartRenderer(Repo.root()).render(null, values).manifests();

        Map<String, Path> images = new LinkedHashMap<>();
        for (String module : List.of("gateway", "orchestrator-svc", "generator-svc", "gpu-worker", "reward-model-svc", "verifier-svc")) {
            images.put("verigen/" + module + ":" + Repo.version(), Repo.image(module));
        }
        cluster = new LocalCluster(manifests, images,
                Map.of("kafka.data.svc", network.hostAddress(), "postgres.data.svc", network.hostAddress()),
                network, work.resolve("pods"), NAMESPACE);
        cluster.runPreInstallHooks(Duration.ofMinutes(3));
        cluster.installRelease();
        cluster.awaitAllReady(Duration.ofMinutes(6));
        gateway = cluster.serviceUrl("vg-verigen-gateway", 8080);
        Secret auth = manifests.get(Secret.class, "vg-verigen-auth");
        adminKey = new String(Base64.getDecoder().decode(auth.getData().get("bootstrap-key")), StandardCharsets.UTF_8);
        gatewaySecret = new String(Base64.getDecoder().decode(auth.getData().get("gateway-secret")), StandardCharsets.UTF_8);
    }

    @AfterAll
    void uninstall() {
        for (AutoCloseable c : new AutoCloseable[] {cluster, postgres, kafka, network}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("tearing down: " + e);
            }
        }
        if (sqlSandbox != null) {
            sqlSandbox.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theMigrationHookRanBeforeAnyServiceAndTheServicesDidNotMigrate() throws Exception {
        assertThat(cluster.jobExits()).containsEntry("vg-verigen-migrations", 0);
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*), bool_and(success) from flyway_schema_history")) {
            r.next();
            assertThat(r.getInt(1)).isGreaterThanOrEqualTo(5);
            assertThat(r.getBoolean(2)).isTrue();
        }
        assertThat(cluster.log(cluster.pod("vg-verigen-orchestrator").name())).doesNotContain("Migrating schema");
    }

    @Test
    void aBestOfNRunCrossesEveryServiceThroughTheGatewayService() throws Exception {
        JsonNode run = runToEnd("""
                {"pipeline": {"strategy": "best_of_n", "n": 8, "model": "sim-math", "verifier": {"type": "numeric"},
                              "rewardModel": "sim-orm", "seed": 7},
                 "input": {"prompt": "What is 37 + 48?", "reference": "85"},
                 "budget": {"maxTokens": 20000, "maxCalls": 64}}""");

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("candidates")).hasSize(8);
        assertThat(run.findValuesAsText("verdict")).contains("PASS");
        assertThat(run.at("/result/extracted").asText()).isEqualTo("85");
        assertThat(run.at("/usage/calls").asInt()).isEqualTo(16); // 8 samples + 8 reward-model scores
    }

    @Test
    void theArithTinyModelInsideTheWorkerImageAnswersWithNoVolume() throws Exception {
        JsonNode run = runToEnd("""
                {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "arith-tiny", "verifier": {"type": "numeric"},
                              "temperature": 0.8, "maxTokens": 8, "seed": 3},
                 "input": {"prompt": "What is 40 + 16? Answer with just the number.", "reference": "56"},
                 "budget": {"maxTokens": 4000, "maxCalls": 16}}""");

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("candidates")).hasSize(4).allSatisfy(c -> {
            assertThat(c.path("backend").asText()).isEqualTo("llamacpp");
            assertThat(c.path("simulated").asBoolean()).isFalse();
        });
    }

    @Test
    void untrustedCodeRunsInTheVerifierContainersSandbox() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + "/v1/verifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"verifier": {"type": "code_tests", "language": "python"},
                         "candidate": "def add(a, b):\\n    return a + b\\n",
                         "reference": "def test_add():\\n    assert add(2, 3) == 5\\n\\ndef test_inverse():\\n    assert add(-1, 1) == 0\\n"}""")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("outcome").asText()).as(r.body()).isEqualTo("PASS");
    }

    /** The heap is 75% of the container's memory limit (the image's JVM flags, the chart's limit, the cgroup). */
    @Test
    void everyJvmSizesItsHeapFromItsContainersMemoryLimit() throws Exception {
        Pattern heap = Pattern.compile("(?m)^jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+-]+)$");
        for (PodLauncher.RunningPod pod : cluster.pods()) {
            long limit = pod.container().spec().memoryLimit();
            int port = LocalCluster.port(pod.spec().getContainers().getFirst(), new io.fabric8.kubernetes.api.model.IntOrString("http"));
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + pod.address().address() + ":" + port
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + gatewaySecret)
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            double max = 0;
            Matcher m = heap.matcher(metrics);
            while (m.find()) {
                double v = Double.parseDouble(m.group(1));
                max += v > 0 ? v : 0;
            }
            assertThat(limit).as(pod.name()).isPositive();
            assertThat(max / limit).as("%s: heap %d of limit %d", pod.name(), (long) max, limit).isCloseTo(0.75, within(0.05));
        }
    }

    /** What the kernel says each container runs as: the chart's securityContext reached the processes. */
    @Test
    void containersRunAsTheirSecurityContextSays() throws Exception {
        for (PodLauncher.RunningPod pod : cluster.pods()) {
            ProcessHandle java = java(pod);
            String status = Files.readString(Path.of("/proc", Long.toString(java.pid()), "status"));
            String uid = field(status, "Uid").split("\\s+")[1];
            long capEff = Long.parseUnsignedLong(field(status, "CapEff"), 16);
            if (pod.owner().equals("vg-verigen-verifier")) {
                assertThat(uid).isEqualTo("0");
                // CHOWN(0) DAC_OVERRIDE(1) FOWNER(3) KILL(5) SETGID(6) SETUID(7): nothing else
                assertThat(capEff).as(pod.name()).isEqualTo((1L << 0) | (1L << 1) | (1L << 3) | (1L << 5) | (1L << 6) | (1L << 7));
            } else {
                assertThat(uid).as(pod.name()).isEqualTo("10001");
                assertThat(capEff).as(pod.name()).isZero();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode runToEnd(String body) throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(gateway + "/v1/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = JSON.readTree(created.body()).path("id").asText();
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + "/v1/runs/" + id)).GET());
            return JSON.readTree(r.body());
        }, run -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.path("status").asText()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Authorization", "Bearer " + adminKey).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The container's own process: the java process below its runtime process. */
    private static ProcessHandle java(PodLauncher.RunningPod pod) {
        return pod.container().processes()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no java process in " + pod.name()));
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1).strip();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
