package dev.verigen.contracts.testing;

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

    /** What the probes answered: readiness before the cut, readiness and liveness after it. */
    public record AfterCut(int readinessBefore, int readinessAfter, int livenessAfter) {
    }

    /**
     * Waits until the service is ready, lets {@code cut} take a dependency away, and waits until readiness answers
     * otherwise (each wait fails the test when it runs out); the caller asserts what the probes said. A service should
     * then be not ready (out of a Service's rotation, a compose health check failing) yet still live, because a restart
     * would not bring the dependency back.
     */
    public static AfterCut cut(int port, Runnable cut) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(port, "readiness") == 200);
        int before = status(port, "readiness");
        cut.run();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(port, "readiness") != 200);
        return new AfterCut(before, status(port, "readiness"), status(port, "liveness"));
    }
}
