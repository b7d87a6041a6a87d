package dev.verigen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.support.problems.FieldError;
import dev.verigen.support.problems.Problems;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks that a response is a clean problem in the platform's one shape ({@link Problems#body}). */
final class ProblemAssertions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemAssertions() {
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertNoInternals(response.body());
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asString()).startsWith(Problems.TYPE_PREFIX);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertSharedShape(problem);
        return problem;
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
        JsonNode problem = assertProblem(response, status);
        assertThat(problem.path("type").asString()).isEqualTo(Problems.TYPE_PREFIX + slug);
        return problem;
    }

    /** The body is exactly what the shared model writes for its members: no member more, none less. */
    private static void assertSharedShape(JsonNode problem) {
        List<FieldError> errors = new ArrayList<>();
        problem.path("errors").forEach(e -> errors.add(new FieldError(e.path("field").asString(),
                e.path("message").asString())));
        String slug = problem.path("type").asString().substring(Problems.TYPE_PREFIX.length());
        var expected = Problems.body(problem.path("status").asInt(), slug, problem.path("title").asString(),
                problem.path("detail").asString(), errors);
        assertThat(problem).isEqualTo(JSON.valueToTree(expected));
    }

    static void assertNoInternals(String body) {
        assertThat(body)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("trace")
                .doesNotContain("127.0.0.1")
                .doesNotContain("localhost")
                .doesNotContainIgnoringCase("jdbc")
                .doesNotContainIgnoringCase("postgres")
                .doesNotContainIgnoringCase("sql");
    }
}
