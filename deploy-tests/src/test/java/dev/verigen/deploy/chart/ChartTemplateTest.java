package dev.verigen.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.verigen.deploy.Repo;
import dev.verigen.deploy.wiring.ServiceEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k8s/verigen rendered by Helm (helm-java) over its value profiles and checked as Kubernetes API objects: what each
 * profile promises is what renders, every reference resolves, every variable set is one the service reads, and the
 * rules that hold for every profile (non-root, probes, selectors, network policy) hold.
 */
class ChartTemplateTest {

    private static final ChartRenderer CHART = new ChartRenderer(Repo.root());
    private static final Map<String, ServiceEnvironment> ENVIRONMENTS = new HashMap<>();
    private static final String PROFILE_SECRETS = "postgresql.password";

    @AfterEach
    void forgetClusterState() {
        CHART.cluster().clearSecrets();
    }

    @Test
    void lintsStrictly() {
        LintResult lint = CHART.lint();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal.yaml", "production.yaml", "gpu-vllm.yaml", "external-secrets.yaml"})
    void everyProfileRendersValidWiredObjects(String profile) {
        Manifests m = render(profile);

        List<Deployment> deployments = m.of(Deployment.class);
        assertThat(deployments).isNotEmpty();
        for (Deployment d : deployments) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            for (Container c : pod.getContainers()) {
                if (c.getName().equals("vllm")) {
                    continue; // vLLM's own image; only its wiring is ours
                }
                assertProbesOnActuatorGroups(d, c);
                assertRunsAsDeclared(d, pod, c);
                assertReferencesResolve(m, profile, c);
                List<String> unread = environment(c.getName()).unread(PodEnv.of(c, m));
                assertThat(unread).as("%s sets variables %s does not read", d.getMetadata().getName(), c.getName()).isEmpty();
                assertThat(PodEnv.nonNull(c.getEnv())).as("credentials only from Secrets").noneMatch(ChartTemplateTest::literalCredential);
            }
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        }
        for (Service s : m.of(Service.class)) {
            long selected = Stream.concat(deployments.stream().map(d -> d.getSpec().getTemplate().getMetadata().getLabels()),
                            m.of(StatefulSet.class).stream().map(st -> st.getSpec().getTemplate().getMetadata().getLabels()))
                    .filter(labels -> labels.entrySet().containsAll(s.getSpec().getSelector().entrySet())).count();
            assertThat(selected).as("pods behind Service %s", s.getMetadata().getName()).isEqualTo(1);
            assertThat(s.getSpec().getPorts()).allSatisfy(p -> assertThat(targetPortExists(m, s, p.getTargetPort().getStrVal())).isTrue());
        }
        for (PodDisruptionBudget pdb : m.of(PodDisruptionBudget.class)) {
            assertThat(deployments).anySatisfy(d -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
        }
        assertNetworkPolicies(m);
    }

    @Test
    void minimalRunsKafkaAndPostgresInTheReleaseAndMigratesAtStart() {
        Manifests m = render("minimal.yaml");

        assertThat(m.get(StatefulSet.class, "vg-verigen-kafka").getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .startsWith("apache/kafka:");
        assertThat(m.get(StatefulSet.class, "vg-verigen-postgresql").getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .startsWith("postgres:");
        Map<String, String> orchestrator = env(m, "vg-verigen-orchestrator");
        assertThat(orchestrator).containsEntry("KAFKA_BOOTSTRAP", "vg-verigen-kafka:9092")
                .containsEntry("VERIGEN_DB_URL", "jdbc:postgresql://vg-verigen-postgresql:5432/verigen")
                .containsEntry("VERIGEN_DB_MIGRATE", "true")
                .containsEntry("SPRING_CLOUD_STREAM_KAFKA_BINDER_REPLICATION_FACTOR", "1");
        assertThat(m.of(Job.class)).as("no server exists while pre-install hooks run").isEmpty();
        assertThat(m.of(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
        assertThat(m.of(PodDisruptionBudget.class)).isEmpty();
    }

    @Test
    void externalDatabaseMigratesInAHookJobBeforeTheServicesStart() {
        ChartRenderer.Rendered rendered = CHART.render("production.yaml");
        Manifests m = rendered.manifests();

        assertThat(rendered.hooks()).containsExactly("Job/vg-verigen-migrations");
        assertThat(rendered.plainManifests().has(Job.class, "vg-verigen-migrations")).as("a hook, not a release object").isFalse();
        Job job = m.get(Job.class, "vg-verigen-migrations");
        assertThat(m.raw("Job", "vg-verigen-migrations").annotation(ChartRenderer.HOOK)).isEqualTo("pre-install,pre-upgrade");
        Container migrate = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(migrate.getImage()).isEqualTo("verigen/orchestrator-svc:0.1.0-SNAPSHOT");
        assertThat(migrate.getArgs()).containsExactly("migrate");
        assertThat(PodEnv.secrets(migrate)).containsEntry("VERIGEN_DB_PASSWORD", new PodEnv.SecretRef("verigen-db-owner", "password"));
        assertThat(migrate.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VERIGEN_DB_USER");
            assertThat(e.getValue()).isEqualTo("verigen_owner");
        });
        assertThat(env(m, "vg-verigen-orchestrator")).containsEntry("VERIGEN_DB_MIGRATE", "false");
        assertThat(environment("orchestrator-svc").unread(Map.of("VERIGEN_DB_URL", "", "VERIGEN_DB_USER", "", "VERIGEN_DB_PASSWORD", "")))
                .isEmpty();
    }

    @Test
    void productionScalesOnKafkaLagWithKedaAndNeverSetsReplicasOnWhatKedaOwns() {
        Manifests m = render("production.yaml");

        List<KedaScaledObject> scaled = m.of(KedaScaledObject.class);
        assertThat(scaled).extracting(s -> s.spec().scaleTargetRef().name()).containsExactlyInAnyOrder(
                "vg-verigen-worker-sim-math", "vg-verigen-worker-arith-tiny", "vg-verigen-verifier", "vg-verigen-reward-model");
        Map<String, String> consumers = Map.of(
                "vg-verigen-worker-sim-math", "verigen.gpu.jobs.sim-math|gpu-worker.sim-math",
                "vg-verigen-worker-arith-tiny", "verigen.gpu.jobs.arith-tiny|gpu-worker.arith-tiny",
                "vg-verigen-verifier", "verigen.verify.jobs|verifier-svc",
                "vg-verigen-reward-model", "verigen.score.jobs|reward-model-svc");
        int partitions = Integer.parseInt(env(m, "vg-verigen-orchestrator").get("SPRING_CLOUD_STREAM_KAFKA_BINDER_MIN_PARTITION_COUNT"));
        for (KedaScaledObject s : scaled) {
            String target = s.spec().scaleTargetRef().name();
            Deployment d = m.get(Deployment.class, target);
            assertThat(d.getSpec().getReplicas()).as("%s: KEDA owns its replicas", target).isNull();
            KedaScaledObject.Trigger trigger = s.spec().triggers().getFirst();
            assertThat(trigger.type()).isEqualTo("kafka");
            assertThat(KedaScaledObject.KAFKA_METADATA).containsAll(trigger.metadata().keySet());
            assertThat(trigger.metadata().get("topic") + "|" + trigger.metadata().get("consumerGroup")).isEqualTo(consumers.get(target));
            assertThat(trigger.metadata()).containsEntry("bootstrapServers", env(m, target).get("KAFKA_BOOTSTRAP"));
            int concurrency = Integer.parseInt(env(m, target).getOrDefault("WORKER_CONCURRENCY",
                    env(m, target).getOrDefault("REWARD_CONCURRENCY", "1")));
            assertThat(partitions).as("%s: every consumer of %d replicas x %d owns a partition", target,
                    s.spec().maxReplicaCount(), concurrency).isGreaterThanOrEqualTo(s.spec().maxReplicaCount() * concurrency);
            assertThat(m.raw("ScaledObject", target).raw().at("/spec/triggers/0/metadata").properties())
                    .as("KEDA's trigger metadata is a map of strings").allSatisfy(e -> assertThat(e.getValue().isTextual()).isTrue());
        }
        assertThat(m.get(HorizontalPodAutoscaler.class, "vg-verigen-gateway").getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(m.get(Deployment.class, "vg-verigen-gateway").getSpec().getReplicas()).isNull();
        assertThat(m.get(Deployment.class, "vg-verigen-orchestrator").getSpec().getReplicas()).isEqualTo(3);
        assertThat(m.of(ServiceMonitor.class)).hasSize(m.of(Service.class).size())
                .allSatisfy(sm -> assertThat(sm.getSpec().getEndpoints().getFirst().getPath()).isEqualTo("/actuator/prometheus"));
        Ingress ingress = m.get(Ingress.class, "vg-verigen-gateway");
        assertThat(ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService().getName())
                .isEqualTo("vg-verigen-gateway");
        assertThat(m.of(Secret.class)).as("every credential comes from an existing Secret").isEmpty();
    }

    @Test
    void autoscalingWithoutKedaIsAPlainHorizontalPodAutoscaler() {
        Manifests m = render("production.yaml", "keda.enabled", "false");

        assertThat(m.of(KedaScaledObject.class)).isEmpty();
        assertThat(m.of(HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .contains("vg-verigen-worker-arith-tiny", "vg-verigen-verifier", "vg-verigen-gateway");
    }

    @Test
    void gpuPoolsRequestGpusWhereTheEngineRunsAndWorkersReachOnlyTheirServer() {
        Manifests m = render("gpu-vllm.yaml");

        Deployment vllm = m.get(Deployment.class, "vg-verigen-vllm-qwen-math");
        Container server = vllm.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(server.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(server.getArgs()).contains("--model=Qwen/Qwen2.5-Math-1.5B-Instruct", "--port=8000", "--enable-prefix-caching");
        assertThat(vllm.getSpec().getTemplate().getSpec().getTolerations()).extracting(t -> t.getKey()).containsExactly("nvidia.com/gpu");
        assertThat(vllm.getSpec().getTemplate().getSpec().getNodeSelector()).containsKey("nvidia.com/gpu.product");
        for (Deployment d : m.of(Deployment.class)) {
            if (d != vllm) {
                assertThat(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getResources().getLimits())
                        .as("%s asks for no GPU", d.getMetadata().getName()).doesNotContainKey("nvidia.com/gpu");
            }
        }
        assertThat(env(m, "vg-verigen-worker-qwen-math")).containsEntry("WORKER_BACKEND", "openai")
                .containsEntry("OPENAI_BASE_URL", "http://vg-verigen-vllm-qwen-math:8000")
                .containsEntry("OPENAI_MODEL", "Qwen/Qwen2.5-Math-1.5B-Instruct");
        assertThat(env(m, "vg-verigen-worker-llama-70b")).containsEntry("OPENAI_BASE_URL", "https://inference.example.com/v1")
                .containsEntry("OPENAI_API_KEY", "<secret inference-api/api-key>");
        assertThat(env(m, "vg-verigen-orchestrator").get("VERIGEN_ORCHESTRATOR_POOLS")).isEqualTo("sim-math,qwen-math,llama-70b");
        assertThat(env(m, "vg-verigen-generator").get("SPRING_APPLICATION_JSON")).contains("\"qwen-math\":{\"stop\":[],\"template\":\"chatml\"}");
        assertThat(env(m, "vg-verigen-reward-model")).containsEntry("VERIGEN_SCORER_QWEN_ORM_API_KEY", "<secret qwen-orm/api-key>");
        assertThat(env(m, "vg-verigen-orchestrator").get("VERIGEN_ORCHESTRATOR_SCORERS")).contains("qwen-prm", "qwen-orm");

        NetworkPolicy serverPolicy = m.get(NetworkPolicy.class, "vg-verigen-vllm-qwen-math");
        assertThat(serverPolicy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/component", "worker-qwen-math")));
    }

    @Test
    void externalSecretsRenderNoSecretAndReferOnlyToTheNamedOnes() {
        Manifests m = render("external-secrets.yaml");

        assertThat(m.of(Secret.class)).isEmpty();
        Set<String> referenced = new TreeSet<>();
        for (Deployment d : m.of(Deployment.class)) {
            PodEnv.secrets(d.getSpec().getTemplate().getSpec().getContainers().getFirst()).values().forEach(r -> referenced.add(r.secret() + "/" + r.key()));
        }
        PodEnv.secrets(m.get(Job.class, "vg-verigen-migrations").getSpec().getTemplate().getSpec().getContainers().getFirst())
                .values().forEach(r -> referenced.add(r.secret() + "/" + r.key()));
        assertThat(referenced).containsExactlyInAnyOrder("verigen-db/db-password", "verigen-db/sandbox-admin-password",
                "verigen-db/owner-password", "verigen-credentials/gateway-secret", "verigen-credentials/bootstrap-key",
                "verigen-credentials/hosted-api-key");
    }

    @Test
    void generatedCredentialsAreMadeOnceAndKeptOnUpgrade() {
        Manifests first = render("minimal.yaml");
        Secret made = first.get(Secret.class, "vg-verigen-auth");
        String key = decode(made.getData().get("bootstrap-key"));
        assertThat(key).matches("vg_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
        assertThat(decode(made.getData().get("gateway-secret"))).hasSize(48);
        assertThat(first.raw("Secret", "vg-verigen-auth").annotation("helm.sh/resource-policy")).isEqualTo("keep");

        assertThat(decode(render("minimal.yaml").get(Secret.class, "vg-verigen-auth").getData().get("bootstrap-key")))
                .as("a fresh install draws new credentials").isNotEqualTo(key);
        CHART.cluster().putSecret("vg-verigen-auth", "{\"bootstrap-key\": \"" + made.getData().get("bootstrap-key")
                + "\", \"gateway-secret\": \"" + made.getData().get("gateway-secret") + "\"}");
        Secret upgraded = render("minimal.yaml").get(Secret.class, "vg-verigen-auth");
        assertThat(upgraded.getData()).as("an upgrade keeps what the cluster has").isEqualTo(made.getData());
    }

    @Test
    void aMistypedOrWronglyTypedValueFailsTheInstall() {
        assertThatThrownBy(() -> CHART.render("minimal.yaml", PROFILE_SECRETS, "x", "services.gatway.replicas", "2"))
                .hasMessageContaining("gatway");
        assertThatThrownBy(() -> CHART.render("minimal.yaml", PROFILE_SECRETS, "x", "pools[0].backend", "vllm"))
                .hasMessageContaining("backend");
        assertThatThrownBy(() -> CHART.render("minimal.yaml", PROFILE_SECRETS, "x", "defaults.replicas", "two"))
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> CHART.render(null, PROFILE_SECRETS, "x"))
                .hasMessageContaining("kafka.bootstrapServers is required");
    }

    @Test
    void aFieldTheKubernetesApiDoesNotHaveFailsTheCheck() {
        assertThatThrownBy(() -> render("minimal.yaml", "defaults.extraEnv[0].name", "X", "defaults.extraEnv[0].valu", "y"))
                .hasMessageContaining("fields the Kubernetes API does not have").hasMessageContaining("valu");
    }

    @Test
    void dashboardsInTheChartBecomeConfigMapsForGrafana() throws Exception {
        Path dashboards = CHART.chart().resolve("dashboards");
        Path probe = dashboards.resolve("deploy-tests-probe.json");
        Files.writeString(probe, "{\"title\": \"probe\", \"panels\": []}");
        try {
            Manifests m = new ChartRenderer(Repo.root()).render("minimal.yaml", PROFILE_SECRETS, "x",
                    "metrics.grafanaDashboards.enabled", "true").manifests();
            ConfigMap cm = m.get(ConfigMap.class, "vg-verigen-dashboard-deploy-tests-probe");
            assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(cm.getData().get("deploy-tests-probe.json")).contains("\"title\": \"probe\"");
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void productionShipsTheAlertRulesAsAPrometheusRuleEachWithARunbook() throws Exception {
        Manifests m = render("production.yaml");
        PrometheusRuleResource rules = m.get(PrometheusRuleResource.class, "vg-verigen-alerts");
        // the labels the Prometheus Operator selects rules by, from metrics.prometheusRule.labels
        assertThat(rules.metadata().getLabels()).containsEntry("release", "kube-prometheus-stack")
                .containsEntry("app.kubernetes.io/part-of", "verigen");
        // the very rules docker compose's Prometheus loads
        var file = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readValue(CHART.chart().resolve("alerts/verigen-rules.yaml").toFile(), PrometheusRuleResource.Spec.class);
        assertThat(rules.spec()).isEqualTo(file);
        String operations = Files.readString(Repo.root().resolve("docs/operations.md"));
        List<String> alerts = new ArrayList<>();
        for (PrometheusRuleResource.Group group : rules.spec().groups()) {
            for (PrometheusRuleResource.Rule rule : group.rules()) {
                alerts.add(rule.alert());
                assertThat(rule.expr()).as(rule.alert()).isNotBlank();
                assertThat(rule.labels().get("severity")).as(rule.alert()).isIn(PrometheusRuleResource.SEVERITIES);
                assertThat(rule.annotations()).as(rule.alert()).containsKey("summary")
                        .containsEntry("runbook", "docs/operations.md#" + rule.alert().toLowerCase());
                assertThat(operations).as("a runbook section for %s", rule.alert()).contains("\n### " + rule.alert() + "\n");
            }
        }
        // the failures the platform's operators asked to be told about
        assertThat(alerts).contains("VerigenQueueLagGrowing", "VerigenWorkerErrorRate", "VerigenBudgetRefusals",
                "VerigenDeadLetters", "VerigenPoolWithoutWorkers");
        assertThat(render("minimal.yaml").of(PrometheusRuleResource.class)).as("only when asked for").isEmpty();
    }

    @Test
    void tracesAreExportedFromEveryServiceAndPoolOnlyWhereAnEndpointIsSet() {
        Manifests production = render("production.yaml");
        List<Deployment> platform = production.of(Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().contains("/verigen/")
                        || d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().startsWith("verigen/"))
                .toList();
        assertThat(platform).hasSizeGreaterThanOrEqualTo(7);
        for (Deployment d : platform) {
            Map<String, String> env = env(production, d.getMetadata().getName());
            assertThat(env).as(d.getMetadata().getName())
                    .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                            "http://otel-collector.monitoring.svc:4318/v1/traces")
                    .containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.1");
        }
        Manifests minimal = render("minimal.yaml");
        for (Deployment d : minimal.of(Deployment.class)) {
            assertThat(env(minimal, d.getMetadata().getName())).as(d.getMetadata().getName())
                    .doesNotContainKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
        }
    }

    // ---------------------------------------------------------------- rules for every profile

    private static void assertProbesOnActuatorGroups(Deployment d, Container c) {
        assertThat(c.getPorts()).extracting(p -> p.getName()).contains("http");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getResources().getLimits()).as("%s has a memory limit", d.getMetadata().getName()).containsKey("memory");
    }

    /** Non-root with nothing added, except verifier-svc's sandbox: root with exactly the capabilities it uses. */
    private static void assertRunsAsDeclared(Deployment d, PodSpec pod, Container c) {
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        if (c.getName().equals("verifier-svc") && pod.getSecurityContext().getRunAsUser() == 0) {
            assertThat(c.getSecurityContext().getCapabilities().getAdd())
                    .containsExactlyInAnyOrder("CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETUID", "SETGID");
            assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("sandbox"));
        } else {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(d.getMetadata().getName()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        }
    }

    private static void assertReferencesResolve(Manifests m, String profile, Container c) {
        for (var from : PodEnv.nonNull(c.getEnvFrom())) {
            assertThat(m.has(ConfigMap.class, from.getConfigMapRef().getName())).isTrue();
        }
        for (PodEnv.SecretRef ref : PodEnv.secrets(c).values()) {
            if (m.has(Secret.class, ref.secret())) {
                assertThat(m.get(Secret.class, ref.secret()).getData()).as("Secret %s has key %s", ref.secret(), ref.key())
                        .containsKey(ref.key());
            } else {
                assertThat(profile).as("Secret %s is neither rendered nor named as existing", ref.secret())
                        .isIn("production.yaml", "gpu-vllm.yaml", "external-secrets.yaml");
            }
        }
    }

    private static boolean literalCredential(EnvVar v) {
        return v.getValue() != null && (v.getName().contains("PASSWORD") || v.getName().contains("SECRET")
                || v.getName().endsWith("_KEY"));
    }

    private static boolean targetPortExists(Manifests m, Service s, String portName) {
        return Stream.concat(m.of(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
                        m.of(StatefulSet.class).stream().map(st -> st.getSpec().getTemplate()))
                .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .flatMap(t -> t.getSpec().getContainers().stream()).flatMap(c -> c.getPorts().stream())
                .anyMatch(p -> Objects.equals(p.getName(), portName));
    }

    /**
     * Default deny for the release; the gateway is the only pod any source may reach; verifier-svc (untrusted code)
     * may reach only Kafka, PostgreSQL and DNS; every policy selects pods that exist.
     */
    private static void assertNetworkPolicies(Manifests m) {
        if (m.of(NetworkPolicy.class).isEmpty()) {
            return;
        }
        NetworkPolicy deny = m.get(NetworkPolicy.class, "vg-verigen-default-deny");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        List<Map<String, String>> podLabels = new ArrayList<>();
        m.of(Deployment.class).forEach(d -> podLabels.add(d.getSpec().getTemplate().getMetadata().getLabels()));
        m.of(StatefulSet.class).forEach(st -> podLabels.add(st.getSpec().getTemplate().getMetadata().getLabels()));
        m.of(Job.class).forEach(j -> podLabels.add(j.getSpec().getTemplate().getMetadata().getLabels()));
        for (NetworkPolicy p : m.of(NetworkPolicy.class)) {
            Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
            assertThat(podLabels).as("pods of NetworkPolicy %s", p.getMetadata().getName())
                    .anySatisfy(l -> assertThat(l).containsAllEntriesOf(selector));
            boolean openToAll = p.getSpec().getIngress() != null && p.getSpec().getIngress().stream()
                    .map(NetworkPolicyIngressRule::getFrom).anyMatch(from -> from == null || from.isEmpty());
            if (openToAll) {
                assertThat(selector).as("only the gateway takes traffic from anywhere").containsEntry("app.kubernetes.io/component", "gateway");
            }
        }
        NetworkPolicy verifier = m.get(NetworkPolicy.class, "vg-verigen-verifier");
        Set<Integer> ports = new TreeSet<>();
        for (NetworkPolicyEgressRule rule : verifier.getSpec().getEgress()) {
            rule.getPorts().forEach(p -> ports.add(p.getPort().getIntVal()));
        }
        boolean tracing = m.of(ConfigMap.class).stream().anyMatch(c -> c.getData() != null
                && c.getData().containsKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT"));
        if (tracing) {
            assertThat(ports).as("verifier-svc reaches Kafka, PostgreSQL, DNS and the trace collector only")
                    .containsExactlyInAnyOrder(9092, 5432, 53, 4317, 4318);
        } else {
            assertThat(ports).as("verifier-svc reaches Kafka, PostgreSQL and DNS only").containsExactlyInAnyOrder(9092, 5432, 53);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Manifests render(String profile, String... overrides) {
        List<String> args = new ArrayList<>(List.of(overrides));
        if (profile.equals("minimal.yaml")) {
            args.addAll(List.of(PROFILE_SECRETS, "not-a-real-password"));
        }
        return CHART.render(profile, args.toArray(String[]::new)).manifests();
    }

    private static Map<String, String> env(Manifests m, String deployment) {
        return PodEnv.of(m.get(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().getFirst(), m);
    }

    private static ServiceEnvironment environment(String module) {
        return ENVIRONMENTS.computeIfAbsent(module, ServiceEnvironment::of);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
