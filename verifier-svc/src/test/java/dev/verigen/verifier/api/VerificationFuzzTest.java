package dev.verigen.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.testing.fuzz.FuzzCase;
import dev.verigen.contracts.testing.fuzz.FuzzFindings;
import dev.verigen.contracts.testing.fuzz.JsonFuzzer;
import dev.verigen.contracts.testing.fuzz.PathFuzzer;
import dev.verigen.verifier.stats.VerdictStats;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code POST /v1/verifications} and the verifier listings under hostile input (real HTTP, no broker): no 5xx, every
 * refusal a problem+json without internals, and a refused request counts in no verdict statistics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.stream.function.autodetect=false", "spring.cloud.function.definition="})
class VerificationFuzzTest {

    private static final Logger log = LoggerFactory.getLogger(VerificationFuzzTest.class);
    private static final long SEED = Long.getLong("verigen.fuzz.seed", 20_260_601L);
    /** Examples of every verifier that needs neither a database nor a sandbox, each fuzzed path by path. */
    private static final Map<String, Integer> EXAMPLES = Map.of("""
            {"verifier": {"type": "numeric", "tolerance": 0.01, "relTolerance": 0.001, "percentAsFraction": false},
             "candidate": "so the answer is \\\\boxed{85}", "reference": "85", "prompt": "What is 37 + 48?",
             "label": "correct"}""", 260, """
            {"verifier": {"type": "composite", "mode": "weighted", "weights": [3, 1], "threshold": 0.7,
                          "verifiers": [{"type": "numeric", "tolerance": 0.01},
                                        {"type": "composite", "mode": "any", "verifiers": ["exact", "math"]}]},
             "candidate": "The answer is 42", "reference": "42", "label": "incorrect"}""", 200, """
            {"verifier": {"type": "regex", "pattern": "^(a+)+$", "mode": "full", "flags": "i", "extract": false},
             "candidate": "aaaaaaaaaaaaaaaaaaaaaaaa!"}""", 120, """
            {"verifier": {"type": "json_schema", "schema": {"type": "object", "required": ["a"],
                          "properties": {"a": {"type": "integer", "minimum": 0}}}},
             "candidate": "{\\"a\\": 1}"}""", 120, """
            {"verifier": "math", "candidate": "\\\\frac{1}{2}", "reference": "0.5"}""", 60, """
            {"verifier": {"type": "exact", "caseSensitive": false, "extract": true}, "candidate": "Answer: Paris",
             "reference": "paris"}""", 60);
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json;;", "garbage", "*/*");

    @LocalServerPort
    int port;
    @Autowired
    VerdictStats stats;
    @Autowired
    VerifierRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> statuses = new TreeMap<>();

    @Test
    void hostileRequestsGetCleanProblemsAndCountInNoStatistics() throws Exception {
        var findings = new FuzzFindings(List.of(InetAddress.getLocalHost().getHostName(),
                InetAddress.getLocalHost().getCanonicalHostName()));
        List<Request> requests = new ArrayList<>();
        EXAMPLES.forEach((example, count) -> {
            String type = example.replaceAll("(?s).*?\"(numeric|composite|regex|json_schema|math|exact)\".*", "$1");
            for (FuzzCase c : JsonFuzzer.of(example, SEED).sample(count)) {
                requests.add(new Request("verifications " + type + " " + c.kind(), c.toString(), "POST",
                        "/v1/verifications", "application/json", c.body()));
            }
        });
        byte[] valid = EXAMPLES.keySet().iterator().next().getBytes(StandardCharsets.UTF_8);
        requests.add(new Request("content type", "without a content type", "POST", "/v1/verifications", null, valid));
        for (String type : CONTENT_TYPES) {
            requests.add(new Request("content type", "as " + type, "POST", "/v1/verifications", type, valid));
        }
        for (PathFuzzer.Value v : PathFuzzer.segments(SEED)) {
            requests.add(new Request("stats path", "stats of " + v.description(), "GET",
                    "/v1/verifiers/" + v.encoded() + "/stats", null, null));
        }
        for (String method : List.of("PUT", "DELETE", "PATCH", "GET")) {
            requests.add(new Request("methods", method + " /v1/verifications", method, "/v1/verifications", null,
                    null));
        }
        for (String method : List.of("POST", "PUT", "DELETE")) {
            requests.add(new Request("methods", method + " /v1/verifiers", method, "/v1/verifiers", null, null));
            requests.add(new Request("methods", method + " /v1/verifiers/numeric/stats", method,
                    "/v1/verifiers/numeric/stats", null, null));
        }
        requests.add(new Request("listing", "GET /v1/verifiers", "GET", "/v1/verifiers", null, null));

        long started = System.nanoTime();
        int accepted = 0;
        for (Request r : requests) {
            Map<String, VerdictStats.Snapshot> before = statistics();
            HttpResponse<byte[]> response = send(r);
            findings.check(r.family(), r.label(), r.body(), response);
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() >= 400) {
                Map<String, VerdictStats.Snapshot> after = statistics();
                if (!after.equals(before)) {
                    findings.add(r.family(), "statistics changed by a refused request (" + response.statusCode()
                            + ") " + r.label());
                }
            } else {
                accepted++;
            }
        }
        log.info("fuzzed {} requests in {} ms: statuses {}", findings.responses(),
                (System.nanoTime() - started) / 1_000_000, statuses);
        assertThat(findings.all()).as("findings").isEmpty();
        assertThat(findings.responses()).isGreaterThan(800);
        assertThat(accepted).as("some mutations are valid requests, and were judged").isPositive();
    }

    private record Request(String family, String label, String method, String path, String contentType,
                           byte[] body) {
    }

    private Map<String, VerdictStats.Snapshot> statistics() {
        Map<String, VerdictStats.Snapshot> all = new TreeMap<>();
        registry.types().forEach(type -> all.put(type, stats.snapshot(type)));
        return all;
    }

    private HttpResponse<byte[]> send(Request r) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path()))
                .timeout(Duration.ofSeconds(30))
                .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        if (r.contentType() != null) {
            request.header("Content-Type", r.contentType());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + r.label() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
