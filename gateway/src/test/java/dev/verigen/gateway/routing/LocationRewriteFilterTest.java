package dev.verigen.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.gateway.config.GatewayProperties;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class LocationRewriteFilterTest {

    private final LocationRewriteFilter filter = new LocationRewriteFilter(
            new GatewayProperties(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8085"), DataSize.ofMegabytes(1)));

    @Test
    void orchestratorLocationBecomesRelativeKeepingPathQueryAndFragment() {
        assertThat(filter.rewrite("http://127.0.0.1:8081/v1/runs/r-1?view=full#x")).isEqualTo("/v1/runs/r-1?view=full#x");
    }

    @Test
    void loopbackAliasesOfTheOrchestratorAreRecognised() {
        assertThat(filter.rewrite("http://localhost:8081/v1/runs/r-1")).isEqualTo("/v1/runs/r-1");
    }

    @Test
    void otherHostsPortsAndRelativeLocationsAreUntouched() {
        assertThat(filter.rewrite("http://127.0.0.1:8080/v1/runs/r-1")).isEqualTo("http://127.0.0.1:8080/v1/runs/r-1");
        assertThat(filter.rewrite("https://docs.example.org/runs")).isEqualTo("https://docs.example.org/runs");
        assertThat(filter.rewrite("/v1/runs/r-1")).isEqualTo("/v1/runs/r-1");
        assertThat(filter.rewrite("not a uri")).isEqualTo("not a uri");
    }
}
