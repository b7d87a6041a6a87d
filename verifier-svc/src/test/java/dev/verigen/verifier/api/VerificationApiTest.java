package dev.verigen.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API over real HTTP; the Kafka bindings are left out (no broker needed). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.stream.function.autodetect=false", "spring.cloud.function.definition="})
class VerificationApiTest {

    private static final int ONE_MIB = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> post(String json) throws Exception {
        return post(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/verifications"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    /** A problem+json of that status and type slug, naming {@code field} (when not null), with nothing internal. */
    private static JsonNode problem(HttpResponse<String> response, int status, String slug, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asString()).isEqualTo("urn:verigen:problem:" + slug);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(body.path("field").asString()).isEqualTo(field);
            assertThat(body.path("errors").isArray()).isTrue();
            assertThat(body.path("errors").get(0).path("field").asString()).isEqualTo(field);
            assertThat(body.path("errors").get(0).path("message").asString()).isNotBlank();
        }
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "dev.verigen", "trace");
        return body;
    }

    @Test
    void rightNumericAnswerPasses() throws Exception {
        JsonNode body = ok(post("""
                {"verifier": {"type": "numeric", "tolerance": 0.5}, "candidate": "6 * 7 = \\\\boxed{42}",
                 "reference": "42", "prompt": "What is 6 * 7?"}"""));
        assertThat(body.path("outcome").asString()).isEqualTo("PASS");
        assertThat(body.path("extracted").asString()).isEqualTo("42");
        assertThat(body.path("evidence").asString()).contains("reference 42");
        assertThat(body.path("elapsedMs").isIntegralNumber()).isTrue();
        assertThat(body.path("verifier").path("type").asString()).isEqualTo("numeric");
        assertThat(body.path("verifier").path("options").path("tolerance").asString()).isEqualTo("0.5");
    }

    @Test
    void verifierMayBeANameAndWrongOrUndecidableAnswersFailOrErr() throws Exception {
        assertThat(ok(post("{\"verifier\": \"numeric\", \"candidate\": \"The answer is 41\", \"reference\": \"42\"}"))
                .path("outcome").asString()).isEqualTo("FAIL");
        JsonNode error = ok(post("{\"verifier\": \"numeric\", \"candidate\": \"42\"}"));
        assertThat(error.path("outcome").asString()).isEqualTo("ERROR");
        assertThat(error.path("evidence").asString()).contains("no reference");
        assertThat(ok(post("{\"verifier\": {\"type\": \"exact\", \"caseSensitive\": false}, \"candidate\": \"Answer: PARIS\", \"reference\": \"paris\"}"))
                .path("outcome").asString()).isEqualTo("PASS");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        problem(post("{\"verifier\": \"numeric\", \"candidate\": "), 400, "malformed-json", "$");
        problem(post("{\"verifier\": \"numeric\", \"candidate\": \"1\"} trailing"), 400, "malformed-json", "$");
        problem(post("{\"candidate\": \"1\", \"candidate\": \"2\", \"verifier\": \"numeric\"}"), 400, "malformed-json", "$");
        problem(post(new byte[0], "application/json"), 400, "malformed-json", "$");
        problem(post("[1, 2]"), 400, "invalid-request", "$");
        problem(post("null"), 400, "invalid-request", "$");
    }

    @Test
    void invalidUtf8BytesAre400() throws Exception {
        byte[] body = "{\"verifier\": \"numeric\", \"candidate\": \"4?\", \"reference\": \"42\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 20] = (byte) 0xC3; // a lead byte followed by an ASCII quote
        body[body.length - 19] = (byte) 0xFF; // never valid in UTF-8
        JsonNode problem = problem(post(body, "application/json"), 400, "malformed-json", "$");
        assertThat(problem.path("detail").asString()).contains("UTF-8");
    }

    @Test
    void wrongTypesAreNamed() throws Exception {
        problem(post("{\"verifier\": \"numeric\", \"candidate\": 42}"), 400, "invalid-request", "candidate");
        problem(post("{\"verifier\": 7, \"candidate\": \"42\"}"), 400, "invalid-request", "verifier");
        problem(post("{\"verifier\": {\"type\": 7}, \"candidate\": \"42\"}"), 400, "invalid-request", "verifier.type");
        problem(post("{\"verifier\": {\"tolerance\": 1}, \"candidate\": \"42\"}"), 400, "invalid-request", "verifier.type");
        problem(post("{\"verifier\": {\"type\": \"numeric\", \"tolerance\": null}, \"candidate\": \"42\"}"), 400,
                "invalid-request", "verifier.tolerance");
        problem(post("{\"verifier\": \"numeric\", \"candidate\": \"42\", \"reference\": [42]}"), 400, "invalid-request", "reference");
        problem(post("{\"verifier\": \"numeric\", \"candidate\": \"42\", \"label\": \"maybe\"}"), 400, "invalid-request", "label");
        problem(post("{\"verifier\": \"numeric\", \"candidate\": \"42\", \"candidates\": []}"), 400, "invalid-request", "candidates");
    }

    @Test
    void missingFieldsAreNamedAllAtOnce() throws Exception {
        JsonNode problem = problem(post("{\"verifier\": \"numeric\", \"reference\": \"42\"}"), 400, "invalid-request", "candidate");
        assertThat(problem.path("detail").asString()).isEqualTo("candidate: is required");
        JsonNode both = problem(post("{}"), 400, "invalid-request", "candidate");
        assertThat(both.path("errors")).extracting(e -> e.path("field").asString()).containsExactly("candidate", "verifier");
    }

    @Test
    void unknownVerifierTypeNamesTheFieldAndTheAvailableTypes() throws Exception {
        JsonNode problem = problem(post("{\"verifier\": {\"type\": \"astrology\"}, \"candidate\": \"42\"}"), 400,
                "invalid-request", "verifier.type");
        assertThat(problem.path("detail").asString()).contains("astrology").contains("composite", "exact", "numeric");
        problem(post("{\"verifier\": \"astrology\", \"candidate\": \"42\"}"), 400, "invalid-request", "verifier");
        // a lone surrogate in the type is quoted back sanitised, never breaking the problem's encoding
        problem(post("{\"verifier\": \"ast\\uD800\", \"candidate\": \"42\"}"), 400, "invalid-request", "verifier");
    }

    @Test
    void invalidOptionNamesTheOption() throws Exception {
        JsonNode problem = problem(post("{\"verifier\": {\"type\": \"numeric\", \"tolerance\": \"lots\"}, \"candidate\": \"42\", \"reference\": \"42\"}"),
                400, "invalid-request", "verifier.tolerance");
        assertThat(problem.path("detail").asString()).contains("lots");
    }

    @Test
    void oversizedCandidateIs413() throws Exception {
        char[] big = new char[ONE_MIB + 1];
        Arrays.fill(big, '7');
        problem(post("{\"verifier\": \"numeric\", \"candidate\": \"" + new String(big) + "\", \"reference\": \"7\"}"),
                413, "payload-too-large", "candidate");
        // exactly 1 MiB is fine; so is a 1 MiB candidate of 2-byte characters counted in bytes, not chars
        big[ONE_MIB] = ' ';
        assertThat(ok(post("{\"verifier\": \"exact\", \"candidate\": \"" + new String(big, 0, ONE_MIB) + "\", \"reference\": \"7\"}"))
                .path("outcome").asString()).isEqualTo("FAIL");
        char[] wide = new char[ONE_MIB / 2 + 1];
        Arrays.fill(wide, 'é');
        problem(post("{\"verifier\": \"exact\", \"candidate\": \"" + new String(wide) + "\"}"), 413, "payload-too-large", "candidate");
    }

    @Test
    void bodyOverTheLimitIs413EvenWithoutContentLength() throws Exception {
        byte[] body = new byte[2 * ONE_MIB + 10];
        Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/verifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        problem(response, 413, "payload-too-large", null);
    }

    @Test
    void bodyMustBeDeclaredJson() throws Exception {
        byte[] body = "{\"verifier\": \"numeric\", \"candidate\": \"42\"}".getBytes(StandardCharsets.UTF_8);
        problem(post(body, "text/plain"), 415, "unsupported-media-type", "Content-Type");
        problem(post(body, null), 415, "unsupported-media-type", "Content-Type");
        problem(post(body, "application/json; charset=ISO-8859-1"), 415, "unsupported-media-type", "Content-Type");
        assertThat(ok(post(body, "application/json; charset=UTF-8")).path("outcome").asString()).isEqualTo("ERROR");
    }

    @Test
    void loneSurrogatesInTheCandidateStillGiveAnEncodableAnswer() throws Exception {
        JsonNode body = ok(post("{\"verifier\": {\"type\": \"exact\", \"extract\": false}, \"candidate\": \"a\\uD800b\", \"reference\": \"a\\uD800b\"}"));
        assertThat(body.path("outcome").asString()).isEqualTo("PASS");
    }

    @Test
    void compositeFromNestedJson() throws Exception {
        JsonNode body = ok(post("""
                {"verifier": {"type": "composite", "mode": "all",
                              "verifiers": [{"type": "numeric", "tolerance": 0.5}, "exact",
                                            {"type": "composite", "mode": "any", "verifiers": ["exact", "numeric"]}]},
                 "candidate": "The answer is 42", "reference": "42"}"""));
        assertThat(body.path("outcome").asString()).isEqualTo("PASS");
        assertThat(body.path("extracted").asString()).isEqualTo("42");
        assertThat(body.path("evidence").asString()).contains("[0] numeric: PASS", "[1] exact: PASS", "[2] composite: PASS");
        // the options echoed back are what a pipeline's VerifierSpec carries: strings, nested specs as JSON text
        String verifiers = body.path("verifier").path("options").path("verifiers").asString();
        assertThat(JSON.readTree(verifiers).get(0).path("tolerance").asDouble()).isEqualTo(0.5);

        JsonNode weighted = ok(post("""
                {"verifier": {"type": "composite", "mode": "weighted", "weights": [3, 1], "threshold": 0.7,
                              "verifiers": ["numeric", {"type": "exact", "extract": false}]},
                 "candidate": "The answer is 42", "reference": "42"}"""));
        assertThat(weighted.path("outcome").asString()).isEqualTo("PASS");
        assertThat(weighted.path("evidence").asString()).contains("0.75");
    }

    @Test
    void compositeWithBadChildrenNamesTheChild() throws Exception {
        JsonNode unknown = problem(post("""
                {"verifier": {"type": "composite", "verifiers": ["numeric", {"type": "astrology"}]}, "candidate": "42"}"""),
                400, "invalid-request", "verifier.verifiers[1].type");
        assertThat(unknown.path("detail").asString()).contains("astrology", "available");
        problem(post("""
                {"verifier": {"type": "composite", "verifiers": [{"type": "composite", "verifiers": [{"type": "numeric", "tolerance": "x"}]}]},
                 "candidate": "42", "reference": "42"}"""), 400, "invalid-request", "verifier.verifiers[0].verifiers[0].tolerance");
        problem(post("{\"verifier\": {\"type\": \"composite\", \"mode\": \"most\", \"verifiers\": [\"exact\"]}, \"candidate\": \"42\"}"),
                400, "invalid-request", "verifier.mode");
        problem(post("{\"verifier\": {\"type\": \"composite\"}, \"candidate\": \"42\"}"), 400, "invalid-request", "verifier.verifiers");
        problem(post("{\"verifier\": {\"type\": \"composite\", \"verifiers\": []}, \"candidate\": \"42\"}"), 400, "invalid-request", "verifier.verifiers");
        problem(post("{\"verifier\": {\"type\": \"composite\", \"verifiers\": [7]}, \"candidate\": \"42\"}"), 400, "invalid-request", "verifier.verifiers[0]");
        problem(post("{\"verifier\": {\"type\": \"composite\", \"mode\": \"weighted\", \"weights\": [1], \"verifiers\": [\"exact\", \"numeric\"]}, \"candidate\": \"42\"}"),
                400, "invalid-request", "verifier.weights");
    }

    @Test
    void verifiersAreListedWithTheirOptions() throws Exception {
        JsonNode body = ok(get("/v1/verifiers"));
        assertThat(body.path("verifiers")).extracting(v -> v.path("type").asString()).contains("composite", "exact", "numeric");
        JsonNode numeric = null;
        for (JsonNode v : body.path("verifiers")) {
            if (v.path("type").asString().equals("numeric")) {
                numeric = v;
            }
        }
        assertThat(numeric).isNotNull();
        assertThat(numeric.path("description").asString()).isNotBlank();
        assertThat(numeric.path("options")).extracting(o -> o.path("name").asString())
                .contains("tolerance", "relTolerance", "percentAsFraction", "extract");
        assertThat(numeric.path("links").path("stats").asString()).isEqualTo("/v1/verifiers/numeric/stats");
    }

    @Test
    void labelledVerdictsAreCountedPerType() throws Exception {
        JsonNode before = ok(get("/v1/verifiers/exact/stats"));
        // a pass on an incorrect candidate (a false positive), a fail on a correct one (a false negative),
        // a right pass, a right fail, an error, and an unlabelled pass
        ok(post("{\"verifier\": \"exact\", \"candidate\": \"Answer: 5\", \"reference\": \"5\", \"label\": \"incorrect\"}"));
        ok(post("{\"verifier\": \"exact\", \"candidate\": \"Answer: five\", \"reference\": \"5\", \"label\": \"correct\"}"));
        ok(post("{\"verifier\": \"exact\", \"candidate\": \"Answer: 5\", \"reference\": \"5\", \"label\": \"CORRECT\"}"));
        ok(post("{\"verifier\": \"exact\", \"candidate\": \"Answer: 6\", \"reference\": \"5\", \"label\": \"incorrect\"}"));
        ok(post("{\"verifier\": \"exact\", \"candidate\": \"Answer: 6\", \"label\": \"incorrect\"}"));
        ok(post("{\"verifier\": \"exact\", \"candidate\": \"Answer: 5\", \"reference\": \"5\"}"));
        JsonNode after = ok(get("/v1/verifiers/exact/stats"));

        assertThat(after.path("verifier").asString()).isEqualTo("exact");
        for (String[] field : new String[][]{{"passes", "3"}, {"fails", "2"}, {"errors", "1"}, {"labelled", "5"},
                {"truePositives", "1"}, {"trueNegatives", "1"}, {"falsePositives", "1"}, {"falseNegatives", "1"},
                {"labelledErrors", "1"}}) {
            assertThat(after.path(field[0]).asLong() - before.path(field[0]).asLong()).as(field[0])
                    .isEqualTo(Long.parseLong(field[1]));
        }
        long fp = after.path("falsePositives").asLong();
        long tn = after.path("trueNegatives").asLong();
        assertThat(after.path("falsePositiveRate").asDouble()).isEqualTo((double) fp / (fp + tn));
        assertThat(after.has("falseNegativeRate")).isTrue();
        assertThat(meters.counter("verigen.verifier.false.positives", "verifier", "exact").count()).isEqualTo((double) fp);
        assertThat(meters.counter("verigen.verifier.labelled", "verifier", "exact", "label", "incorrect", "outcome", "ERROR").count())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void statsOfAnUnknownTypeAre404AndUnusedTypesHaveNoRates() throws Exception {
        problem(get("/v1/verifiers/astrology/stats"), 404, "not-found", null);
        JsonNode composite = ok(get("/v1/verifiers/composite/stats"));
        assertThat(composite.path("labelled").asLong()).isGreaterThanOrEqualTo(0);
        problem(get("/v1/nothing"), 404, "not-found", null);
    }
}
