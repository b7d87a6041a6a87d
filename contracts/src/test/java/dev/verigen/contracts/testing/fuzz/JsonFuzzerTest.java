package dev.verigen.contracts.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonFuzzerTest {

    private static final String EXAMPLE = """
            {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math", "temperature": 0.7,
                          "stop": ["\\n\\n"], "verifier": {"type": "numeric", "tolerance": 0.01}},
             "input": {"prompt": "What is 40 + 2?", "reference": "42"}, "budget": {"maxTokens": 2000}}""";
    /** Parses whatever a lenient server would, however deep or long, so only real syntax errors fail. */
    private static final JsonMapper LENIENT = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000)
                    .maxNumberLength(100_000).maxNameLength(1_000_000).maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final JsonMapper STRICT = LENIENT.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final List<FuzzCase> cases = JsonFuzzer.of(EXAMPLE, 7).cases();

    @Test
    void theSameSeedGivesTheSameCasesByteForByte() {
        List<FuzzCase> again = JsonFuzzer.of(EXAMPLE, 7).cases();
        assertThat(again).hasSameSizeAs(cases);
        for (int i = 0; i < cases.size(); i++) {
            assertThat(again.get(i).description()).isEqualTo(cases.get(i).description());
            assertThat(again.get(i).body()).isEqualTo(cases.get(i).body());
        }
        List<FuzzCase> other = JsonFuzzer.of(EXAMPLE, 8).cases();
        assertThat(bodies(other)).as("another seed picks other random bytes and cuts").isNotEqualTo(bodies(cases));
    }

    @Test
    void everyKindIsProducedAndTheExampleItselfIsValid() {
        assertThat(cases.stream().map(FuzzCase::kind).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FuzzKind.class));
        assertThat(STRICT.readTree(JsonFuzzer.of(EXAMPLE, 7).example())).isEqualTo(STRICT.readTree(EXAMPLE));
        assertThat(cases.size()).isGreaterThan(400);
    }

    @Test
    void aSampleIsDeterministicKeepsOrderAndCoversEveryKind() {
        List<FuzzCase> sample = JsonFuzzer.of(EXAMPLE, 7).sample(40);
        assertThat(sample).hasSize(40);
        assertThat(sample.stream().map(FuzzCase::kind).collect(Collectors.toSet())).hasSize(FuzzKind.values().length);
        assertThat(descriptions(JsonFuzzer.of(EXAMPLE, 7).sample(40))).isEqualTo(descriptions(sample));
        List<String> all = descriptions(cases);
        List<Integer> positions = descriptions(sample).stream().map(all::indexOf).toList();
        assertThat(positions).doesNotContain(-1).isSorted();
        assertThat(JsonFuzzer.of(EXAMPLE, 7).sample(100_000)).hasSameSizeAs(cases);
    }

    @Test
    void malformedBodiesAreNotJson() {
        List<FuzzCase> malformed = of(FuzzKind.MALFORMED).stream().filter(c -> !c.description().contains("UTF-16")
                && !c.description().contains("byte order mark") && !c.description().startsWith("random")
                && c.body().length > 0 && !c.description().startsWith("whitespace")).toList();
        assertThat(malformed).hasSizeGreaterThan(20);
        for (FuzzCase c : malformed) {
            assertThatThrownBy(() -> LENIENT.readTree(c.body()), c.toString()).isInstanceOf(JacksonException.class);
        }
        assertThat(LENIENT.readTree(find("empty body").body()).isMissingNode()).as("no JSON value at all").isTrue();
    }

    @Test
    void wrongTypesNullsEmptiesAndMissingFieldsAreValidJsonThatDiffersFromTheExample() {
        JsonNode example = STRICT.readTree(EXAMPLE);
        for (FuzzKind kind : List.of(FuzzKind.WRONG_TYPE, FuzzKind.NULL_VALUE, FuzzKind.EMPTY, FuzzKind.MISSING_FIELD,
                FuzzKind.INJECTION, FuzzKind.UNKNOWN_FIELD, FuzzKind.LONG_STRING, FuzzKind.LARGE_ARRAY)) {
            assertThat(of(kind)).as(kind.name()).isNotEmpty().allSatisfy(c ->
                    assertThat(STRICT.readTree(c.body())).as(c.toString()).isNotEqualTo(example));
        }
        JsonNode n = STRICT.readTree(find("wrong type at $.pipeline.n: \"x\"").body());
        assertThat(n.at("/pipeline/n").stringValue()).isEqualTo("x");
        assertThat(STRICT.readTree(find("without $.input.prompt").body()).at("/input").has("prompt")).isFalse();
        assertThat(STRICT.readTree(find("null at $.pipeline.stop[0]").body()).at("/pipeline/stop/0").isNull()).isTrue();
        assertThat(STRICT.readTree(find("every leaf null").body()).at("/input/prompt").isNull()).isTrue();
    }

    @Test
    void numbersGoPastLongAndDouble() {
        Set<String> texts = of(FuzzKind.EXTREME_NUMBER).stream()
                .filter(c -> c.description().startsWith("number at $.pipeline.n:"))
                .map(c -> STRICT.readTree(c.body()).at("/pipeline/n").toString()).collect(Collectors.toSet());
        assertThat(texts).contains("9223372036854775808", "-9223372036854775809", "-1", "0");
        assertThat(find("number at $.pipeline.n: 1e400").excerpt(1000)).contains("\"n\":1e400");
        assertThat(new String(find("number at $.budget.maxTokens: 100000000000...(401 chars)").body(),
                StandardCharsets.UTF_8)).contains("1" + "0".repeat(400));
    }

    @Test
    void nestingSizeAndEncodingCasesAreWhatTheySay() {
        byte[] deep = find(JsonFuzzer.NESTING + " nested arrays").body();
        assertThat(new String(deep, StandardCharsets.US_ASCII)).startsWith("[".repeat(JsonFuzzer.NESTING) + "]");
        JsonNode nested = LENIENT.readTree(find(JsonFuzzer.NESTING + " nested objects at $.input").body()).get("input");
        for (int i = 0; i < JsonFuzzer.NESTING; i++) {
            nested = nested.get("a");
        }
        assertThat(nested.isObject()).isTrue();
        assertThat(of(FuzzKind.OVERSIZED)).hasSize(2).allSatisfy(c ->
                assertThat(c.body().length).isGreaterThan(JsonFuzzer.ONE_MIB));
        assertThat(of(FuzzKind.INVALID_UTF8)).hasSizeGreaterThan(30).allSatisfy(c ->
                assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(c.body())))
                        .as(c.toString()).isInstanceOf(CharacterCodingException.class));
        String prompt = STRICT.readTree(find("\"\\ud800\" at $.input.prompt").body()).at("/input/prompt").stringValue();
        assertThat(prompt).hasSize(1);
        assertThat(Character.isHighSurrogate(prompt.charAt(0))).isTrue();
        assertThat(STRICT.readTree(find("\"a\\u0000b\" at $.input.reference").body()).at("/input/reference")
                .stringValue()).isEqualTo("a\u0000b");
        assertThatThrownBy(() -> LENIENT.readTree(find("raw NUL in $.input.prompt").body()))
                .isInstanceOf(JacksonException.class);
        assertThat(STRICT.readTree(find("' or 1=1 -- at $.input.prompt").body()).at("/input/prompt").stringValue())
                .isEqualTo("' or 1=1 --");
    }

    @Test
    void duplicateKeysPassALenientParserAndFailAStrictOne() {
        assertThat(of(FuzzKind.DUPLICATE_KEY)).hasSizeGreaterThanOrEqualTo(8).allSatisfy(c -> {
            assertThatCode(() -> LENIENT.readTree(c.body())).doesNotThrowAnyException();
            assertThatThrownBy(() -> STRICT.readTree(c.body())).isInstanceOf(JacksonException.class);
        });
        assertThat(LENIENT.readTree(find("\"pipeline\" twice in $, first \"dup\"").body()).get("pipeline").isObject())
                .as("the last occurrence wins in a lenient parser").isTrue();
    }

    @Test
    void pathAndQueryValuesAreValidUrisAndDeterministic() {
        List<PathFuzzer.Value> segments = PathFuzzer.segments(3);
        assertThat(segments).isEqualTo(PathFuzzer.segments(3)).isNotEqualTo(PathFuzzer.segments(4));
        for (PathFuzzer.Value v : PathFuzzer.queryValues(3)) {
            assertThatCode(() -> URI.create("http://localhost/v1/runs/" + v.encoded() + "?name=" + v.encoded()))
                    .as(v.description()).doesNotThrowAnyException();
        }
        assertThat(segments).extracting(PathFuzzer.Value::encoded).contains("%00", "a%2Fb", "%FF", "a%252Fb");
        assertThat(segments.stream().filter(v -> v.description().startsWith("random UUID")))
                .hasSize(4).allSatisfy(v -> assertThat(UUID.fromString(v.encoded())).isNotNull());
        assertThat(PathFuzzer.encode("' or 1=1 --")).isEqualTo("%27%20or%201%3D1%20--");
        assertThat(PathFuzzer.headerValues(3)).isEqualTo(PathFuzzer.headerValues(3))
                .allSatisfy(h -> assertThat(h).doesNotContain("\r", "\n", "\u0000"));
    }

    @Test
    void ndjsonCasesFollowAValidLine() {
        String line = "{\"id\": \"q1\", \"prompt\": \"What is 1 + 1?\", \"reference\": \"2\"}";
        List<FuzzCase> ndjson = NdjsonFuzzer.cases(line, 5, 30);
        assertThat(ndjson).hasSize(30 + 14);
        assertThat(ndjson.getFirst().excerpt(200)).startsWith("{\"id\":\"line-a\"");
        String many = new String(ndjson.getLast().body(), StandardCharsets.UTF_8);
        assertThat(many.lines().map(l -> STRICT.readTree(l).get("id").stringValue()).distinct()).hasSize(10_001);
        assertThat(descriptions(NdjsonFuzzer.cases(line, 5, 30))).isEqualTo(descriptions(ndjson));
    }

    private List<FuzzCase> of(FuzzKind kind) {
        return cases.stream().filter(c -> c.kind() == kind).toList();
    }

    private FuzzCase find(String description) {
        return cases.stream().filter(c -> c.description().equals(description)).findFirst()
                .orElseThrow(() -> new AssertionError("no case '" + description + "' among " + descriptions(cases)));
    }

    private static List<String> descriptions(List<FuzzCase> cases) {
        return cases.stream().map(FuzzCase::description).toList();
    }

    private static List<String> bodies(List<FuzzCase> cases) {
        return cases.stream().map(c -> new String(c.body(), StandardCharsets.ISO_8859_1)).toList();
    }
}
