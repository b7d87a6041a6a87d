package dev.verigen.verifier.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JsonSchemaVerifierTest {

    static final String PERSON = """
            {"type": "object", "required": ["name", "age"], "additionalProperties": false,
             "properties": {"name": {"type": "string", "minLength": 1, "pattern": "^[A-Z]"},
                            "age": {"type": "integer", "minimum": 0, "maximum": 150},
                            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 3}}}""";

    private final JsonSchemaVerifier verifier = new JsonSchemaVerifier();

    private Verdict check(String candidate, String reference, Map<String, String> options) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, new VerifierOptions(options));
    }

    private Verdict check(String candidate) {
        return check(candidate, PERSON, Map.of());
    }

    @Test
    void validJsonPasses() {
        Verdict v = check("Here you go:\n```json\n{\"name\": \"Ada\", \"age\": 36, \"tags\": [\"a\"]}\n```\nDone.");
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).contains("the last ```json block").contains("the reference").contains("valid");
        assertThat(check("Sure! {\"name\": \"Bo\", \"age\": 1} hope it helps {x}").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("{\"name\": \"Bo\", \"age\": 1}").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void lastFencedBlockWins() {
        String c = "```json\n{\"name\": \"x\"}\n```\nfixed:\n```json\n{\"name\": \"X\", \"age\": 2}\n```";
        assertThat(check(c).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void violationsAreListedWithPointers() {
        Verdict v = check("{\"name\": \"ada\", \"age\": -1, \"extra\": true, \"tags\": [\"a\", \"z\"]}");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("violations").contains("\"/age\"").contains("\"/name\"").contains("\"/tags/1\"");
        Verdict missing = check("{\"name\": \"Ada\"}");
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(missing.evidence()).contains("1 violation").contains("age");
        Verdict root = check("[1, 2]");
        assertThat(root.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(root.evidence()).contains("\"\" (root)");
    }

    @Test
    void schemaOptionOverridesTheReference() {
        Map<String, String> opts = Map.of("schema", "{\"type\": \"array\", \"minItems\": 2, \"items\": {\"const\": 1}}");
        assertThat(check("[1, 1]", "not a schema", opts).outcome()).isEqualTo(Outcome.PASS);
        Verdict v = check("[1, 2]", null, opts);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("option schema").contains("\"/1\"");
        assertThat(check("[1]", null, opts).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void malformedCandidateFailsWithThePosition() {
        Verdict v = check("```json\n{\"name\": \"Ada\",\n \"age\": }\n```");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("is not valid JSON").contains("line 2");
        assertThat(check("{\"name\": \"Ada\", \"name\": \"Bo\", \"age\": 1}").evidence()).contains("not valid JSON");
        assertThat(check("no json here").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("{\"name\": \"Ada\", \"age\": 1").outcome()).isEqualTo(Outcome.FAIL); // unbalanced
    }

    @Test
    void invalidSchemaIsAnError() {
        assertThat(check("{}", "{not json", Map.of()).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("{}", "[1, 2]", Map.of()).outcome()).isEqualTo(Outcome.ERROR);
        Verdict v = check("{}", "{\"type\": \"strnig\"}", Map.of());
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).contains("invalid schema").contains("meta-schema");
        assertThat(check("{}", "{\"minimum\": \"five\"}", Map.of()).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("{}", null, Map.of()).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("{}", "{\"$schema\": \"http://example.com/nope\"}", Map.of()).outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void otherDraftsAndBooleanSchemas() {
        String d7 = "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"required\": [\"a\"]}";
        assertThat(check("{\"a\": 1}", d7, Map.of()).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("{\"b\": 1}", d7, Map.of()).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("{\"b\": 1}", "true", Map.of()).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("{\"b\": 1}", "false", Map.of()).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    @Timeout(10)
    void remoteRefsAreNotFetched() {
        Verdict v = check("{}", "{\"$ref\": \"http://127.0.0.1:9/schema.json\"}", Map.of());
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    @Timeout(10)
    void deeplyNestedCandidateDoesNotCrash() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        Verdict v = check(deep, "{\"type\": \"array\"}", Map.of());
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("not valid JSON");
        String deepObj = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThat(check(deepObj, "{}", Map.of()).outcome()).isEqualTo(Outcome.FAIL);
        String deepSchema = "{\"items\":".repeat(1000) + "{}" + "}".repeat(1000);
        assertThat(check("[]", deepSchema, Map.of()).outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    @Timeout(20)
    void hugeCandidateIsValidated() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
        }
        String big = sb.append(']').toString();
        assertThat(big.length()).isGreaterThan(1_000_000);
        String schema = "{\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": [\"id\"]}}";
        assertThat(check(big, schema, Map.of()).outcome()).isEqualTo(Outcome.PASS);
        Verdict bad = check(big.replace("{\"id\":7}", "{\"x\":7}"), schema, Map.of());
        assertThat(bad.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(bad.evidence()).contains("\"/7\"");
        String tooBig = "[" + "1,".repeat(JsonSchemaVerifier.MAX_JSON_CHARS / 2) + "1]";
        assertThat(check(tooBig, schema, Map.of()).evidence()).contains("over the limit");
    }

    @Test
    @Timeout(10)
    void expensiveSchemaPatternIsAnError() {
        String schema = "{\"type\": \"string\", \"pattern\": \"^(a|aa)+\\\\1$\"}";
        Verdict v = check("\"" + "a".repeat(60) + "!\"", schema, Map.of());
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).contains("too expensive");
    }

    @Test
    void loneSurrogatesAreHandled() {
        Verdict v = check("{\"name\": \"A\uD800\", \"age\": 3}");
        assertThat(v.outcome()).isIn(Outcome.PASS, Outcome.FAIL);
        assertThat(v.extracted()).doesNotContain("\uD800");
        assertThat(check("{\"name\": \"A\\ud800\", \"age\": 3}").outcome()).isIn(Outcome.PASS, Outcome.FAIL);
    }
}
