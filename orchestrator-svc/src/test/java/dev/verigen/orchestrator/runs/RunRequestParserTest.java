package dev.verigen.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RunRequestParserTest {

    private final RunRequestParser parser = new RunRequestParser(new StrategyRegistry(List.of(new BestOfN())),
            new OrchestratorProperties(Set.of("sim-math"), Set.of("exact", "numeric", "composite"), Set.of("sim-orm", "sim-prm"),
                    new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
                    new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100)));
    private final JsonMapper mapper = JsonMapper.builder().build();

    private JsonNode json(String text) {
        return mapper.readTree(text);
    }

    private List<FieldError> errors(String body) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> parser.parse(json(body), 1L));
        assertThat(problem).as("expected %s to be refused", body).isNotNull();
        return problem.errors();
    }

    @Test
    void fillsDefaultsAndKeepsTheGivenSeed() {
        CreateRun run = parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "seed": 99, "rewardModel": "sim-orm"},
                 "input": {"prompt": "What is 2 + 2?", "reference": "4"}}"""), 5L);
        assertThat(run.spec().n()).isEqualTo(8);
        assertThat(run.spec().sampling().seed()).isEqualTo(99L);
        assertThat(run.spec().verifier().type()).isEqualTo("numeric");
        assertThat(run.spec().rewardModel()).isEqualTo("sim-orm");
        assertThat(run.maxTokens()).isNull();
    }

    @Test
    void aTextReferenceDefaultsToExactMatchAndNullTurnsVerificationOff() {
        assertThat(parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math"}, "input": {"prompt": "p", "reference": "Paris"}}"""),
                1L).spec().verifier().type()).isEqualTo("exact");
        assertThat(parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "verifier": null}, "input": {"prompt": "p", "reference": "4"}}"""),
                1L).spec().verifier()).isNull();
    }

    @Test
    void verifierOptionsAreKept() {
        var run = parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "verifier": {"type": "numeric", "tolerance": 0.01}},
                 "input": {"prompt": "p", "reference": "4"}}"""), 1L);
        assertThat(run.spec().verifier().options()).containsEntry("tolerance", "0.01");
    }

    @Test
    void compositeChildrenTravelAsJsonTextAndScorerVariantsAreAccepted() {
        var run = parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "rewardModel": "sim-prm:min",
                              "verifier": {"type": "composite", "mode": "all", "verifiers": ["numeric", {"type": "exact"}]}},
                 "input": {"prompt": "p", "reference": "4"}}"""), 1L);
        assertThat(run.spec().verifier().options()).containsEntry("mode", "all")
                .containsEntry("verifiers", "[\"numeric\",{\"type\":\"exact\"}]");
        assertThat(run.spec().rewardModel()).isEqualTo("sim-prm:min");
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "rewardModel": "gpt-rm:min"}, "input": {"prompt": "p"}}"""))
                .extracting(FieldError::field).containsExactly("pipeline.rewardModel");
    }

    @Test
    void namesEveryOffendingField() {
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_m", "n": 0, "model": "gpt-9", "temperature": "hot"},
                 "input": {"prompt": ""}, "budget": {"maxTokens": -5}}"""))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("pipeline.strategy", "pipeline.n", "pipeline.model", "pipeline.temperature",
                        "input.prompt", "budget.maxTokens");
    }

    @Test
    void refusesUnknownFieldsAndWrongShapes() {
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "stratgy": "x"}, "input": {"prompt": "p"}, "extra": 1}"""))
                .extracting(FieldError::field).containsExactlyInAnyOrder("pipeline.stratgy", "extra");
        assertThat(errors("[1, 2]")).extracting(FieldError::field).containsExactly("$");
        assertThat(errors("""
                {"pipeline": "best_of_n", "input": {"prompt": "p"}}""")).extracting(FieldError::field).containsExactly("pipeline");
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "n": 1e400}, "input": {"prompt": "p"}}"""))
                .extracting(FieldError::field).containsExactly("pipeline.n");
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "n": 99999999999999999999999}, "input": {"prompt": "p"}}"""))
                .extracting(FieldError::field).containsExactly("pipeline.n");
    }

    @Test
    void refusesABudgetThatCannotPayForOneSample() {
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "maxTokens": 100},
                 "input": {"prompt": "p"}, "budget": {"maxTokens": 50}}"""))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("budget.maxTokens");
                    assertThat(e.message()).contains("single sample");
                });
    }

    @Test
    void acceptsAFlopsCapAsAnyPositiveFiniteNumber() {
        for (String cap : List.of("1e18", "1000000000000000000000", "2.5e15", "123456789012345")) {
            CreateRun run = parser.parse(json("""
                    {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "maxTokens": 10},
                     "input": {"prompt": "p"}, "budget": {"maxFlops": %s}}""".formatted(cap)), 1L);
            assertThat(run.maxFlops()).isEqualTo(Double.parseDouble(cap));
        }
        assertThat(parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math"}, "input": {"prompt": "p"}}"""), 1L).maxFlops())
                .isNull();
    }

    @Test
    void refusesAFlopsCapThatIsNotAPositiveFiniteNumber() {
        for (String cap : List.of("0", "-1e12", "1e400", "-1e400", "\"1e15\"", "true", "[1]", "{}")) {
            assertThat(errors("""
                    {"pipeline": {"strategy": "best_of_n", "model": "sim-math"}, "input": {"prompt": "p"},
                     "budget": {"maxFlops": %s}}""".formatted(cap)))
                    .as(cap).singleElement().satisfies(e -> {
                        assertThat(e.field()).isEqualTo("budget.maxFlops");
                        assertThat(e.message()).isEqualTo("must be a positive, finite number");
                    });
        }
    }

    @Test
    void refusesAFlopsCapThatCannotPayForOneSample() {
        // one sample of 100 tokens on the pretend 7B model after a 1-byte prompt (+256 template): ~6e12 FLOPs
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "maxTokens": 100},
                 "input": {"prompt": "p"}, "budget": {"maxFlops": 1e12}}"""))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("budget.maxFlops");
                    assertThat(e.message()).contains("single sample", "FLOPs", "sim-math");
                });
        assertThat(parser.parse(json("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "maxTokens": 100},
                 "input": {"prompt": "p"}, "budget": {"maxFlops": 1e13}}"""), 1L).maxFlops()).isEqualTo(1e13);
    }

    @Test
    void refusesUnknownVerifiersAndRewardModels() {
        assertThat(errors("""
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math", "verifier": {"type": "oracle"}, "rewardModel": "gpt-rm"},
                 "input": {"prompt": "p", "reference": "1"}}"""))
                .extracting(FieldError::field).containsExactlyInAnyOrder("pipeline.verifier.type", "pipeline.rewardModel");
    }

    @Test
    void fingerprintIgnoresTheFilledInSeed() {
        String body = """
                {"pipeline": {"strategy": "best_of_n", "model": "sim-math"}, "input": {"prompt": "p"}}""";
        assertThat(RunService.fingerprint(parser.parse(json(body), 0L)))
                .isEqualTo(RunService.fingerprint(parser.parse(json(body), 0L)))
                .isNotEqualTo(RunService.fingerprint(parser.parse(json(body.replace("\"p\"", "\"q\"")), 0L)));
    }
}
