package dev.verigen.deploy.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The little of a Kubernetes API server that rendering the chart touches: the chart's {@code lookup} of its own
 * Secret (to keep generated credentials on upgrade). helm-java asks a live API server even when only rendering, so
 * the tests point it (KUBECONFIG, set for the test JVM in the pom) at this one: discovery for core/v1, and Secrets
 * that a test says exist. Nothing is ever created here.
 */
final class FakeKubeApi implements AutoCloseable {

    private static FakeKubeApi shared;

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    private FakeKubeApi(HttpServer server) {
        this.server = server;
    }

    /** The one instance of this JVM, its kubeconfig written where KUBECONFIG points. */
    static synchronized FakeKubeApi shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static FakeKubeApi start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            FakeKubeApi api = new FakeKubeApi(server);
            server.createContext("/", api::handle);
            server.start();
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || kubeconfig.isBlank()) {
                throw new IllegalStateException("KUBECONFIG is not set for the test JVM (deploy-tests/pom.xml sets it)");
            }
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: fake, user: {token: fake}}]
                    contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]
                    current-context: fake
                    """.formatted(server.getAddress().getPort()));
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Secret the next renderings find in the cluster: its {@code data} as JSON ({"key": "base64", ...}). */
    void putSecret(String name, String dataJson) {
        secrets.put(name, dataJson);
    }

    void clearSecrets() {
        secrets.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        int status = 200;
        if (path.equals("/api")) {
            body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}";
        } else if (path.equals("/apis")) {
            body = "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
        } else if (path.equals("/api/v1")) {
            body = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[{\"name\":\"secrets\","
                    + "\"singularName\":\"secret\",\"namespaced\":true,\"kind\":\"Secret\",\"verbs\":[\"get\",\"list\"]}]}";
        } else if (path.equals("/version")) {
            body = "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}";
        } else if (path.contains("/secrets/") && secrets.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            body = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\"},\"type\":\"Opaque\","
                    + "\"data\":" + secrets.get(name) + "}";
        } else {
            status = 404;
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
