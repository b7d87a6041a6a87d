package dev.verigen.contracts.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A service's health groups as its probes read them (docs/operations.md, "Health"): the same check for every service
 * whose readiness includes a dependency, so that each service's test says only which dependency it cuts.
 */
public final class HealthGroups {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HealthGroups() {
    }

    /** The status code of {@code /actuator/health/<group>} on a service listening on {@code port}. */
    public static int status(int port, String group) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Ready at first; once {@code cut} takes a dependency away, not ready (out of a Service's rotation, a compose health
     * check failing) yet still live, because a restart would not bring the dependency back.
     */
    public static void notReadyWithoutItAndStillLive(int port, Runnable cut) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(status(port, "readiness")).isEqualTo(200));
        cut.run();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(status(port, "readiness")).isEqualTo(503));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(port, "liveness")).isEqualTo(200));
    }
}
