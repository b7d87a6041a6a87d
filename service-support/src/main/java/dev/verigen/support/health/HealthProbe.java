package dev.verigen.support.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A container health check for images that carry no shell and no curl: exits 0 when the service's health group
 * answers 200 with status UP, 1 otherwise. docker-compose runs it as
 * {@code java -cp @/app/jib-classpath-file dev.verigen.support.health.HealthProbe [path]}; it reads the port from
 * {@code SERVER_PORT}, as the service does. Only {@code java.base} is used, so the JVM starts in a fraction of a second.
 */
public final class HealthProbe {

    static final String DEFAULT_PATH = "/actuator/health/readiness";

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : DEFAULT_PATH;
        String port = System.getenv().getOrDefault("SERVER_PORT", "8080");
        System.exit(check(URI.create("http://127.0.0.1:" + port + path)) ? 0 : 1);
    }

    static boolean check(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(3000);
            try (InputStream body = connection.getResponseCode() == 200 ? connection.getInputStream() : null) {
                return body != null && new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8).contains("\"UP\"");
            } finally {
                connection.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
