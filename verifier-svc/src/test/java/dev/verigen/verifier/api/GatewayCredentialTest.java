package dev.verigen.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.verifier.VerifierApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * verifier-svc runs candidates' code: with the gateway's credential set, nobody without it gets anything but the
 * health probes (issue 16: anyone who reached :8085 used to run code in its sandbox); without one it does not start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.stream.function.autodetect=false", "spring.cloud.function.definition=",
        "verigen.service-access.development=false", "verigen.service-access.gateway-secret=" + GatewayCredentialTest.SECRET})
class GatewayCredentialTest {

    static final String SECRET = "the-gateways-credential-for-tests";
    private static final String CODE = """
            {"verifier": {"type": "code_tests", "language": "python"},
             "candidate": "def add(a, b):\\n    return a + b\\n",
             "reference": "def test_add():\\n    assert add(2, 3) == 5\\n"}""";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private HttpRequest.Builder verification() {
        return to("/v1/verifications").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CODE));
    }

    @Test
    void codeIsRunOnlyForTheGatewaysCredential() throws Exception {
        for (HttpRequest.Builder stranger : new HttpRequest.Builder[] {verification(),
                verification().header("X-Verigen-Gateway-Secret", "a guess"),
                verification().header("X-Verigen-Gateway-Secret", SECRET + "x"),
                verification().header("Authorization", "Bearer a guess"),
                verification().header("X-Verigen-Tenant", "default")}) {
            HttpResponse<String> refused = send(stranger);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JsonMapper.builder().build().readTree(refused.body());
            assertThat(problem.path("type").asString()).isEqualTo("urn:verigen:problem:unauthorized");
            assertThat(problem.path("field").asString()).isEqualTo("X-Verigen-Gateway-Secret");
        }

        HttpResponse<String> admitted = send(verification().header("X-Verigen-Gateway-Secret", SECRET));
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
    }

    @Test
    void onlyHealthIsOpenAndAScraperPresentsTheCredentialAsABearerToken() throws Exception {
        assertThat(send(to("/actuator/health")).statusCode()).isEqualTo(200);
        assertThat(send(to("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/actuator/prometheus", "/actuator/info", "/actuator", "/v1/verifiers",
                "/actuator/health/../prometheus", "/no-such-path"}) {
            assertThat(send(to(path)).statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> metrics = send(to("/actuator/prometheus").header("Authorization", "Bearer " + SECRET));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void withoutACredentialTheServiceDoesNotStartUnlessTheDevelopmentFlagSaysSo() {
        SpringApplication app = new SpringApplication(VerifierApplication.class);
        assertThatThrownBy(() -> app.run("--server.port=0", "--spring.cloud.stream.function.autodetect=false",
                "--spring.cloud.function.definition=", "--verigen.service-access.development=false",
                "--verigen.service-access.gateway-secret="))
                .hasStackTraceContaining("VERIGEN_GATEWAY_SECRET").hasStackTraceContaining("VERIGEN_INSECURE_DEVELOPMENT");
    }
}
