package dev.verigen.deploy.chart;

import static org.awaitility.Awaitility.await;

import dev.verigen.deploy.runtime.OciImage;
import dev.verigen.deploy.runtime.PodNetwork;
import dev.verigen.deploy.runtime.TcpProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes cluster of one machine, enough to run what the chart renders the way Helm and the kubelet would:
 * pre-install hooks by weight (the migration Job run to completion before anything else), then the release —
 * ConfigMaps, Secrets, Services with a cluster IP and a proxy over their ready endpoints, Deployments as pods in
 * network namespaces of their own, each started from its image ({@link PodLauncher}). Service names resolve through
 * each pod's /etc/hosts, as cluster DNS would answer them. Readiness is probed from the host as the kubelet probes.
 * Not simulated: scheduling, restarts on failed liveness, NetworkPolicy enforcement (checked on the rendering),
 * autoscalers (their minimum is started), StatefulSets (the in-chart Kafka and PostgreSQL use official images).
 */
public final class LocalCluster implements AutoCloseable {

    private static final Set<String> NOT_RUN = Set.of("NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler",
            "ScaledObject", "ServiceMonitor", "Ingress", "HTTPRoute");

    private final Manifests manifests;
    private final Map<String, Path> imageArchives;
    private final Map<String, String> externalHosts;
    private final Path workDir;
    private final String namespace;
    private final PodNetwork network;
    private final Map<String, ConfigMap> configMaps = new ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Map<String, ServiceAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, String> clusterIps = new ConcurrentHashMap<>();
    private final List<TcpProxy> proxies = new CopyOnWriteArrayList<>();
    private final List<PodLauncher.RunningPod> pods = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private final Map<String, OciImage> images = new ConcurrentHashMap<>();
    private final Map<String, Integer> jobExits = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final PodLauncher launcher;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    /**
     * @param imageArchives  image reference → the archive jib:buildTar wrote for it
     * @param externalHosts  names outside the cluster (Kafka, PostgreSQL) → the address they answer on
     */
    public LocalCluster(Manifests manifests, Map<String, Path> imageArchives, Map<String, String> externalHosts,
                        PodNetwork network, Path workDir, String namespace) {
        this.manifests = manifests;
        this.imageArchives = imageArchives;
        this.externalHosts = externalHosts;
        this.network = network;
        this.workDir = workDir;
        this.namespace = namespace;
        this.launcher = new PodLauncher(this::image, this::rootfs, configMaps::get, secrets::get, network, workDir, namespace);
        prober.scheduleWithFixedDelay(this::probeAll, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** Helm's pre-install hooks, by weight: objects applied, Jobs run to completion (retried up to backoffLimit). */
    public void runPreInstallHooks(Duration jobTimeout) {
        List<Manifests.Obj> hooks = manifests.all().stream()
                .filter(o -> o.annotation(ChartRenderer.HOOK) != null && o.annotation(ChartRenderer.HOOK).contains("pre-install"))
                .sorted(Comparator.comparingInt((Manifests.Obj o) -> weight(o)).thenComparing(Manifests.Obj::id))
                .toList();
        for (Manifests.Obj hook : hooks) {
            if (hook.typed() instanceof Job job) {
                runJob(job, jobTimeout);
            } else {
                apply(hook);
            }
        }
    }

    private static int weight(Manifests.Obj hook) {
        String w = hook.annotation(ChartRenderer.HOOK + "-weight");
        return w == null ? 0 : Integer.parseInt(w.strip());
    }

    /** The release itself: everything but the hooks, in Helm's kind order; Deployments start their pods. */
    public void installRelease() {
        List<Manifests.Obj> release = manifests.all().stream().filter(o -> o.annotation(ChartRenderer.HOOK) == null).toList();
        for (String kind : List.of("ServiceAccount", "Secret", "ConfigMap", "Service")) {
            release.stream().filter(o -> o.kind().equals(kind)).forEach(this::apply);
        }
        String hosts = hostsFile();
        for (Manifests.Obj o : release) {
            switch (o.typed()) {
                case Deployment d -> startDeployment(d, hosts);
                case Job j -> runJob(j, Duration.ofMinutes(5));
                default -> {
                    if (!NOT_RUN.contains(o.kind()) && !Set.of("ServiceAccount", "Secret", "ConfigMap", "Service").contains(o.kind())) {
                        throw new UnsupportedOperationException(o.id() + " cannot be run by this local cluster");
                    }
                }
            }
        }
    }

    /** Waits until every pod of the release is ready; names the ones that are not, with their logs, if they never are. */
    public void awaitAllReady(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (PodLauncher.RunningPod p : pods) {
                    if (!p.container().isAlive()) {
                        throw new IllegalStateException(p.name() + " exited; its log ends with:\n" + p.container().logTail(60));
                    }
                }
                return pods.stream().allMatch(p -> ready.getOrDefault(p.name(), false));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder("pods not ready after " + timeout + ":");
            pods.stream().filter(p -> !ready.getOrDefault(p.name(), false))
                    .forEach(p -> why.append("\n--- ").append(p.name()).append(":\n").append(p.container().logTail(40)));
            throw new AssertionError(why.toString(), e);
        }
    }

    /** http://&lt;cluster IP&gt;:&lt;port&gt; of a Service, reachable from the test (the host) as from any pod. */
    public String serviceUrl(String service, int port) {
        return "http://" + clusterIps.get(service) + ":" + port;
    }

    public List<PodLauncher.RunningPod> pods() {
        return pods;
    }

    public PodLauncher.RunningPod pod(String ownerPrefix) {
        return pods.stream().filter(p -> p.owner().equals(ownerPrefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no pod of " + ownerPrefix + "; pods: " + pods.stream().map(PodLauncher.RunningPod::name).toList()));
    }

    public Map<String, Integer> jobExits() {
        return jobExits;
    }

    public Secret secret(String name) {
        return secrets.get(name);
    }

    /** The pod's log so far. */
    public String log(String podName) {
        return pods.stream().filter(p -> p.name().equals(podName)).findFirst().map(p -> p.container().log()).orElse("");
    }

    // ---------------------------------------------------------------- applying objects

    private void apply(Manifests.Obj o) {
        switch (o.typed()) {
            case ConfigMap cm -> configMaps.put(o.name(), cm);
            case Secret s -> secrets.put(o.name(), s);
            case ServiceAccount sa -> accounts.put(o.name(), sa);
            case Service s -> expose(s);
            default -> throw new UnsupportedOperationException(o.id() + " cannot be applied as a hook here");
        }
    }

    private void expose(Service service) {
        String ip = network.addServiceAddress();
        clusterIps.put(service.getMetadata().getName(), ip);
        Map<String, String> selector = service.getSpec().getSelector();
        for (ServicePort port : service.getSpec().getPorts()) {
            proxies.add(TcpProxy.start(ip, port.getPort(), () -> endpoint(selector, port.getTargetPort())));
        }
    }

    private Optional<InetSocketAddress> endpoint(Map<String, String> selector, IntOrString targetPort) {
        List<PodLauncher.RunningPod> backends = pods.stream()
                .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
                .filter(p -> ready.getOrDefault(p.name(), false))
                .toList();
        if (backends.isEmpty()) {
            return Optional.empty();
        }
        PodLauncher.RunningPod pod = backends.get(Math.floorMod(roundRobin.getAndIncrement(), backends.size()));
        return Optional.of(new InetSocketAddress(pod.address().address(), port(pod.spec().getContainers().getFirst(), targetPort)));
    }

    private void startDeployment(Deployment d, String hosts) {
        requireServiceAccount(d.getSpec().getTemplate().getSpec().getServiceAccountName(), d.getMetadata().getName());
        int replicas = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : minReplicasOf(d.getMetadata().getName());
        for (int i = 0; i < replicas; i++) {
            String name = d.getMetadata().getName() + "-" + i;
            pods.add(launcher.launch(name, d.getMetadata().getName(), d.getSpec().getTemplate().getMetadata().getLabels(),
                    d.getSpec().getTemplate().getSpec(), writeHosts(name, hosts)));
        }
    }

    /** An autoscaled Deployment has no replicas of its own: its autoscaler's minimum runs (KEDA: at least one here). */
    private int minReplicasOf(String deployment) {
        for (Manifests.Obj o : manifests.all()) {
            if (o.typed() instanceof KedaScaledObject s && s.spec().scaleTargetRef().name().equals(deployment)) {
                return Math.max(1, s.spec().minReplicaCount() == null ? 1 : s.spec().minReplicaCount());
            }
            if (o.typed() instanceof io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler h
                    && h.getSpec().getScaleTargetRef().getName().equals(deployment)) {
                return h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
            }
        }
        throw new IllegalStateException(deployment + " has no replicas and no autoscaler: Kubernetes would run one, by luck");
    }

    private void runJob(Job job, Duration timeout) {
        requireServiceAccount(job.getSpec().getTemplate().getSpec().getServiceAccountName(), job.getMetadata().getName());
        int attempts = 1 + (job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit());
        String hosts = hostsFile();
        for (int attempt = 0; attempt < attempts; attempt++) {
            String name = job.getMetadata().getName() + "-" + attempt;
            PodLauncher.RunningPod pod = launcher.launch(name, job.getMetadata().getName(),
                    job.getSpec().getTemplate().getMetadata().getLabels(), job.getSpec().getTemplate().getSpec(), writeHosts(name, hosts));
            try {
                int exit = pod.container().waitFor(timeout.toSeconds());
                pod.container().close();
                if (exit == 0) {
                    jobExits.put(job.getMetadata().getName(), 0);
                    return;
                }
                jobExits.put(job.getMetadata().getName(), exit);
                System.err.println("job " + name + " failed (" + exit + "):\n" + pod.container().logTail(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Job " + job.getMetadata().getName() + " failed " + attempts + " times (backoffLimit reached)");
    }

    private void requireServiceAccount(String name, String owner) {
        if (name != null && !name.equals("default") && !accounts.containsKey(name)) {
            throw new IllegalStateException(owner + ": serviceaccount \"" + name + "\" not found (not created yet at this point of the install)");
        }
    }

    // ---------------------------------------------------------------- DNS, images, probes

    private String hostsFile() {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
        clusterIps.forEach((name, ip) -> hosts.append(ip).append(' ').append(name).append(' ').append(name).append('.').append(namespace)
                .append(' ').append(name).append('.').append(namespace).append(".svc ").append(name).append('.').append(namespace)
                .append(".svc.cluster.local\n"));
        externalHosts.forEach((name, ip) -> hosts.append(ip).append(' ').append(name).append('\n'));
        return hosts.toString();
    }

    private Path writeHosts(String pod, String hosts) {
        try {
            Path file = Files.createDirectories(workDir.resolve("hosts")).resolve(pod);
            Files.writeString(file, hosts);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OciImage image(String ref) {
        return images.computeIfAbsent(ref, r -> OciImage.read(archive(r)));
    }

    private Path archive(String ref) {
        Path archive = imageArchives.get(ref);
        if (archive == null) {
            throw new IllegalStateException("ErrImagePull: no image " + ref + " (built here: " + imageArchives.keySet() + ")");
        }
        return archive;
    }

    /** Each image unpacked once, under a name that changes with its content. */
    private Path rootfs(String ref) {
        Path archive = archive(ref);
        try {
            String key = ref.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + Files.getLastModifiedTime(archive).toMillis() + "-" + Files.size(archive);
            Path root = workDir.getParent().resolve("rootfs").resolve(key);
            if (!Files.isDirectory(root.resolve("opt"))) {
                image(ref).unpack(root);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kubelet's readiness probes, every half second. */
    private void probeAll() {
        for (PodLauncher.RunningPod p : pods) {
            Container c = p.spec().getContainers().getFirst();
            HTTPGetAction get = c.getReadinessProbe() == null ? null : c.getReadinessProbe().getHttpGet();
            boolean alive = p.container().isAlive();
            ready.put(p.name(), alive && (get == null
                    || httpOk("http://" + p.address().address() + ":" + port(c, get.getPort()) + get.getPath())));
        }
    }

    private boolean httpOk(String url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() >= 200 && r.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new IllegalStateException("no port named " + port.getStrVal() + " in container " + c.getName()));
    }

    /** Keeps the manifests' NetworkPolicies at hand for tests that want them; they are not enforced. */
    public List<NetworkPolicy> networkPolicies() {
        return manifests.of(NetworkPolicy.class);
    }

    @Override
    public void close() {
        prober.shutdownNow();
        List<Thread> stopping = new ArrayList<>();
        for (PodLauncher.RunningPod p : pods) {
            stopping.add(Thread.ofVirtual().start(() -> p.container().close()));
        }
        for (Thread t : stopping) {
            try {
                t.join(Duration.ofSeconds(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        proxies.forEach(TcpProxy::close);
    }
}
