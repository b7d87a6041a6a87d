package dev.verigen.contracts.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class FuzzFindingsTest {

    private static final String PROBLEM = """
            {"type": "urn:verigen:problem:invalid-request", "title": "Invalid request", "status": 400,
             "detail": "n: must be between 1 and 1024", "field": "n",
             "errors": [{"field": "n", "message": "must be between 1 and 1024"}],
             "error": {"message": "n: must be between 1 and 1024", "type": "invalid_request_error", "param": "n",
                       "code": "invalid-request"}}""";

    @Test
    void aCleanProblemAndAJsonAnswerAreNotFindings() {
        var findings = new FuzzFindings(List.of("db-host-1"));
        findings.check("runs", "POST /v1/runs", "{}".getBytes(StandardCharsets.UTF_8),
                response(400, "application/problem+json", PROBLEM));
        findings.check("runs", "GET /v1/runs/1", null, response(200, "application/json", "{\"id\": 1}"));
        assertThat(findings.all()).isEmpty();
        assertThat(findings.responses()).isEqualTo(2);
    }

    @Test
    void serverErrorsHtmlLeaksAndBrokenProblemsAreFindings() {
        var findings = new FuzzFindings(List.of("db-host-1"));
        findings.check("a", "GET /a", null, response(500, "application/problem+json",
                PROBLEM.replace("400", "500")));
        findings.check("b", "GET /b", null, response(400, "text/html", "<html>Bad Request</html>"));
        findings.check("c", "GET /c", null, response(400, "application/problem+json",
                PROBLEM.replace("n: must", "java.lang.IllegalStateException at dev.verigen.X.y(X.java:1) must")));
        findings.check("d", "GET /d", null, response(404, "application/problem+json",
                PROBLEM.replace("urn:verigen:problem:invalid-request", "about:blank")));
        findings.check("e", "GET /e", null, response(400, "application/problem+json",
                PROBLEM.replace("n: must", "db-host-1 refused; must")));
        findings.check("f", "GET /f", null, response(200, "application/json", "{\"broken\": "));
        assertThat(findings.all()).anySatisfy(f -> assertThat(f).startsWith("a | 500"))
                .anySatisfy(f -> assertThat(f).startsWith("b | 400 as 'text/html'"))
                .anySatisfy(f -> assertThat(f).startsWith("c | a stack frame"))
                .anySatisfy(f -> assertThat(f).startsWith("c | 'Exception' in the error"))
                .anySatisfy(f -> assertThat(f).startsWith("d | problem members [type, status]"))
                .anySatisfy(f -> assertThat(f).startsWith("e | an internal name"))
                .anySatisfy(f -> assertThat(f).startsWith("f | unparseable JSON"));
    }

    @Test
    void textTheRequestSentMayComeBackAndSimilarFindingsAreKeptOnce() {
        var findings = new FuzzFindings(List.of("db-host-1"));
        byte[] sent = "{\"name\": \"db-host-1 Exception\"}".getBytes(StandardCharsets.UTF_8);
        findings.check("echo", "POST /x", sent, response(400, "application/problem+json",
                PROBLEM.replace("n: must", "unknown name 'db-host-1 Exception'; must")));
        assertThat(findings.all()).isEmpty();
        for (int i = 0; i < 3; i++) {
            findings.check("same", "GET /s/" + i, null, response(503, "application/problem+json",
                    PROBLEM.replace("400", "503")));
        }
        assertThat(findings.all()).hasSize(1);
    }

    private static HttpResponse<byte[]> response(int status, String contentType, String body) {
        return new Canned(status, HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (a, b) -> true),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private record Canned(int statusCode, HttpHeaders headers, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://localhost/")).build();
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://localhost/");
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
