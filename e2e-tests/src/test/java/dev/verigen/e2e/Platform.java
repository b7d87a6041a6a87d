package dev.verigen.e2e;

import static org.awaitility.Awaitility.await;

import dev.verigen.support.access.ApiKeyTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The six services, each started from its runnable jar as its own JVM, wired to the given Kafka and PostgreSQL —
 * the same way {@code ./verigen up} runs them.
 */
final class Platform implements AutoCloseable {

    static final List<String> FIRST_WAVE = List.of("orchestrator-svc", "verifier-svc", "reward-model-svc");
    static final List<String> SECOND_WAVE = List.of("generator-svc", "gpu-worker", "gpu-worker-arith",
            "gpu-worker-openai", "gateway");

    /**
     * More gpu-workers: one serving the real arith-tiny model through llama.cpp, as ./verigen up runs it, and one
     * fronting an OpenAI-compatible server, set up by configuration alone.
     */
    private static final Map<String, String> MODULE = Map.of("gpu-worker-arith", "gpu-worker",
            "gpu-worker-openai", "gpu-worker", "orchestrator-svc-2", "orchestrator-svc");
    /** A second orchestrator instance beside the first (the fault suite's), on its own port. */
    static final String SECOND_ORCHESTRATOR = "orchestrator-svc-2";
    /** What the fault suite runs: the platform's path for sim-math runs, without the real and the OpenAI pools. */
    static final java.util.Set<String> CORE = java.util.Set.of("orchestrator-svc", "verifier-svc", "reward-model-svc",
            "generator-svc", "gpu-worker", "gateway");
    static final String OPENAI_POOL = "openai-math";
    static final String OPENAI_KEY = "e2e-secret-key";
    /** A TEI-style reranker on the same local server, configured into reward-model-svc by environment alone. */
    static final String RERANKER = "local-rerank";
    /** vLLM-style outcome and process reward models on the same local server. */
    static final String OUTCOME_RM = "local-orm";
    static final String PROCESS_RM = "local-prm";

    private final Path root = Path.of(System.getProperty("verigen.root", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("verigen.version", "0.1.0-SNAPSHOT");
    private final Path logs = root.resolve("e2e-tests/target/e2e-logs");
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> byService = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> launchedWith = new LinkedHashMap<>();
    private Map<String, String> commonEnv = Map.of();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, Map<String, String>> extraEnv;
    private final String adminKey = ApiKeyTokens.generate(new SecureRandom()).token();
    private final String gatewaySecret = ApiKeyTokens.generate(new SecureRandom()).token();

    /**
     * @param sqlSandboxUrl the database sql_execution runs candidates in; the tests own it (create and drop it)
     */
    Platform(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, String sqlSandboxUrl,
             String openAiBaseUrl) throws IOException {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, sqlSandboxUrl, openAiBaseUrl, null);
    }

    /**
     * @param otlpEndpoint where every service exports its spans, all sampled (docs/operations.md); null: none
     */
    Platform(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, String sqlSandboxUrl,
             String openAiBaseUrl, String otlpEndpoint) throws IOException {
        this(kafkaBootstrap, dbUrl, dbUser, dbPassword, sqlSandboxUrl, openAiBaseUrl, otlpEndpoint, null);
    }

    /** @param only the services to start (null: all of them) */
    Platform(String kafkaBootstrap, String dbUrl, String dbUser, String dbPassword, String sqlSandboxUrl,
             String openAiBaseUrl, String otlpEndpoint, java.util.Set<String> only) throws IOException {
        this.extraEnv = Map.of(
                "verifier-svc", Map.of("VERIGEN_SQL_SANDBOX_URL", sqlSandboxUrl, "VERIGEN_SQL_ADMIN_USER", dbUser,
                        "VERIGEN_SQL_ADMIN_PASSWORD", dbPassword),
                "orchestrator-svc", Map.of("VERIGEN_ORCHESTRATOR_POOLS", "sim-math,arith-tiny," + OPENAI_POOL,
                        "VERIGEN_ORCHESTRATOR_SCORERS", "sim-orm,sim-prm,judge,likelihood," + RERANKER + "," + OUTCOME_RM + "," + PROCESS_RM),
                "reward-model-svc", Map.of("SPRING_APPLICATION_JSON", "{\"verigen\":{\"reward\":{\"scorers\":{"
                        + "\"" + RERANKER + "\":{\"type\":\"tei-rerank\",\"base-url\":\"" + openAiBaseUrl + "\"},"
                        + "\"" + OUTCOME_RM + "\":{\"type\":\"vllm-reward\",\"base-url\":\"" + openAiBaseUrl + "\"},"
                        + "\"" + PROCESS_RM + "\":{\"type\":\"vllm-pooling\",\"base-url\":\"" + openAiBaseUrl
                        + "\",\"step-delimiter\":\"\\\\n\"}}}}}"),
                "generator-svc", Map.of("SPRING_APPLICATION_JSON",
                        "{\"verigen\":{\"generator\":{\"pools\":{\"" + OPENAI_POOL + "\":{\"template\":\"plain\"}}}}}"),
                "gpu-worker-arith", Map.of("WORKER_POOL", "arith-tiny", "WORKER_BACKEND", "llamacpp",
                        "LLAMACPP_MODEL_PATH", "models/arith-tiny.gguf"),
                "gpu-worker-openai", Map.of("WORKER_POOL", OPENAI_POOL, "WORKER_BACKEND", "openai",
                        "OPENAI_BASE_URL", openAiBaseUrl, "OPENAI_MODEL", "fake-math", "OPENAI_API_KEY", OPENAI_KEY));
        Files.createDirectories(logs);
        for (String service : concat(FIRST_WAVE, SECOND_WAVE)) {
            Files.deleteIfExists(logs.resolve(service + ".log")); // a restarted service appends to its log
        }
        for (String service : FIRST_WAVE) {
            ports.put(service, freePort());
        }
        for (String service : SECOND_WAVE) {
            ports.put(service, freePort());
        }
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "VERIGEN_BOOTSTRAP_KEY", adminKey,
                "VERIGEN_GATEWAY_SECRET", gatewaySecret,
                "KAFKA_BOOTSTRAP", kafkaBootstrap,
                "VERIGEN_DB_URL", dbUrl,
                "VERIGEN_DB_USER", dbUser,
                "VERIGEN_DB_PASSWORD", dbPassword));
        if (otlpEndpoint != null) {
            env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", otlpEndpoint);
            env.put("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0");
            env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "500ms");
        }
        env.put("VERIGEN_ORCHESTRATOR_QUEUEWATCHINTERVAL", "2s");
        this.commonEnv = env;
        // Two waves: six JVMs booting at once on two cores starve each other for minutes.
        start(FIRST_WAVE.stream().filter(s -> only == null || only.contains(s)).toList());
        start(SECOND_WAVE.stream().filter(s -> only == null || only.contains(s)).toList());
    }

    /** The settings every service starts with: the shared ones and where the others listen now. */
    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(commonEnv);
        env.put("ORCHESTRATOR_URL", "http://127.0.0.1:" + ports.get("orchestrator-svc"));
        env.put("VERIFIER_URL", "http://127.0.0.1:" + ports.get("verifier-svc"));
        return env;
    }

    /** The bootstrap admin key of the default tenant (every scope), as {@code ./verigen up} makes one. */
    String adminKey() {
        return adminKey;
    }

    /** What the gateway sends every service behind it, and what a metrics scraper presents as a bearer token. */
    String gatewaySecret() {
        return gatewaySecret;
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + ports.get("gateway");
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    private void start(List<String> services) throws IOException {
        for (String service : services) {
            launch(service, env());
        }
        for (String service : services) {
            awaitHealthy(service);
        }
        // a service that had to move to another port after the others started: tell those that call it
        for (String service : services) {
            if (!launchedWith.get(service).equals(env())) {
                Process stale = byService.get(service);
                stale.destroyForcibly();
                stale.onExit().join();
                launch(service, env());
                awaitHealthy(service);
            }
        }
    }

    private void launch(String service, Map<String, String> env) throws IOException {
        String module = MODULE.getOrDefault(service, service);
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + "-exec.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the suite with ./verigen test (mvn verify), "
                    + "which packages every service before these tests start them");
        }
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "--server.port=" + ports.get(service))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile()));
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", Integer.toString(ports.get(service)));
        builder.environment().putAll(extraEnv.getOrDefault(service, Map.of()));
        Process process = builder.start();
        processes.add(process);
        byService.put(service, process);
        launchedWith.put(service, env);
    }

    /** Kills the service the hard way (SIGKILL): no shutdown hook, no graceful drain, as a crash or an OOM kill. */
    void kill(String service) throws InterruptedException {
        Process process = byService.get(service);
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts the service again on its port, with the same settings. */
    void restart(String service) throws IOException {
        start(List.of(service));
    }

    /**
     * Starts the service (again, or a further instance such as {@link #SECOND_ORCHESTRATOR}) with these settings added
     * to its usual ones, e.g. an armed fault-injection point, and waits until it is healthy.
     */
    void startWith(String service, Map<String, String> more) throws IOException {
        ports.computeIfAbsent(service, s -> {
            try {
                return freePort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!byService.containsKey(service)) {
            Files.deleteIfExists(logs.resolve(service + ".log")); // an earlier suite's lines would fool ownsPort
        }
        Map<String, String> env = new LinkedHashMap<>(env());
        env.putAll(more);
        launch(service, env);
        Process process = byService.get(service);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> !process.isAlive() || health(service).contains("\"UP\"") && ownsPort(service));
        if (!process.isAlive()) {
            throw new IllegalStateException(service + " exited during startup; its log ends with:\n" + tail(service));
        }
    }

    /** Whether the service's current process is alive (a fault-injection point halts it by itself). */
    boolean alive(String service) {
        Process process = byService.get(service);
        return process != null && process.isAlive();
    }

    /**
     * Healthy means this service's own process answers UP on its port. Other programs on a shared machine may take a
     * port between {@link #freePort} and the service's start: the service then exits ("already in use") and is started
     * again on another port (its port is known only to later waves and to the tests, so nothing else needs telling).
     */
    private void awaitHealthy(String service) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Process process = byService.get(service);
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> !process.isAlive() || health(service).contains("\"UP\"") && ownsPort(service));
            } catch (RuntimeException e) {
                throw new IllegalStateException(service + " did not become healthy; its log ends with:\n" + tail(service), e);
            }
            if (process.isAlive()) {
                return;
            }
            if (attempt < 3 && log(service).contains("was already in use")) {
                ports.put(service, freePort());
                launch(service, env());
                continue;
            }
            throw new IllegalStateException(service + " exited during startup; its log ends with:\n" + tail(service));
        }
    }

    /** The service's log says it listens on the port the tests will use (not that something else answers there). */
    private boolean ownsPort(String service) throws IOException {
        return log(service).contains("started on port " + ports.get(service));
    }

    private String health(String service) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(service) + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    String log(String service) throws IOException {
        return Files.readString(logs.resolve(service + ".log"));
    }

    String tail(String service) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(service + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
