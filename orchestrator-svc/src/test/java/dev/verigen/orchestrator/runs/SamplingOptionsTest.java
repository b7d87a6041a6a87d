package dev.verigen.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.FirstFinish;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** pipeline.options of best_of_n, self_consistency and first_finish as the API validates and normalises them. */
class SamplingOptionsTest {

    private final RunRequestParser parser = new RunRequestParser(
            new StrategyRegistry(List.of(new BestOfN(), new SelfConsistency(), new FirstFinish())),
            new OrchestratorProperties(Set.of("sim-math"), Set.of("exact", "numeric"), Set.of("sim-orm", "judge"),
                    new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
                    new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100)));
    private final JsonMapper mapper = JsonMapper.builder().build();

    private static String body(String strategy, String pipelineExtra, String options, String reference) {
        return "{\"pipeline\": {\"strategy\": \"" + strategy + "\", \"model\": \"sim-math\", \"n\": 8" + pipelineExtra
                + (options == null ? "" : ", \"options\": " + options) + "}, \"input\": {\"prompt\": \"What is 6*7?\""
                + (reference == null ? "" : ", \"reference\": \"" + reference + "\"") + "}}";
    }

    private CreateRun parse(String body) {
        return parser.parse(mapper.readTree(body), 1L);
    }

    private List<FieldError> errors(String body) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> parse(body));
        assertThat(problem).as("expected %s to be refused", body).isNotNull();
        return problem.errors();
    }

    @Test
    void defaultsAreFilledInSoTheStoredSpecSaysEverything() {
        assertThat(parse(body("self_consistency", "", null, null)).spec().options(SelfConsistency.Options.class))
                .isEqualTo(new SelfConsistency.Options("majority", List.of(), null));
        assertThat(parse(body("best_of_n", "", null, null)).spec().options(BestOfN.Options.class))
                .isEqualTo(new BestOfN.Options("best", null));
        assertThat(parse(body("first_finish", "", null, null)).spec().options(FirstFinish.Options.class))
                .isEqualTo(new FirstFinish.Options(false, true));
        assertThat(parse(body("self_consistency", "", "{\"adaptive\": true}", null)).spec()
                .options(SelfConsistency.Options.class).adaptive()).isEqualTo(new Adaptive(4, 0.95));
        assertThat(parse(body("best_of_n", "", "{\"adaptive\": false}", null)).spec()
                .options(BestOfN.Options.class).adaptive()).isNull();
    }

    @Test
    void everyOptionIsReadBack() {
        var sc = parse(body("self_consistency", ", \"rewardModel\": \"sim-orm\"",
                "{\"vote\": \"weighted\", \"temperatures\": [0.3, 0.7, 1], \"adaptive\": {\"batch\": 2, \"confidence\": 0.9}}",
                null)).spec().options(SelfConsistency.Options.class);
        assertThat(sc).isEqualTo(new SelfConsistency.Options("weighted", List.of(0.3, 0.7, 1.0), new Adaptive(2, 0.9)));
        var bon = parse(body("best_of_n", ", \"rewardModel\": \"judge:sim-math\"",
                "{\"selection\": \"weighted\", \"adaptive\": {\"batch\": 3}}", null)).spec().options(BestOfN.Options.class);
        assertThat(bon).isEqualTo(new BestOfN.Options("weighted", new Adaptive(3, 0.95)));
        var ff = parse(body("first_finish", "", "{\"requireVerified\": true, \"shortest\": false}", "42")).spec()
                .options(FirstFinish.Options.class);
        assertThat(ff).isEqualTo(new FirstFinish.Options(true, false));
    }

    @Test
    void aWeightedVoteOrSelectionWithoutARewardModelIsRefused() {
        assertThat(errors(body("self_consistency", "", "{\"vote\": \"weighted\"}", null))).singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("pipeline.options.vote");
                    assertThat(e.message()).contains("pipeline.rewardModel");
                });
        assertThat(errors(body("best_of_n", "", "{\"selection\": \"weighted\"}", null)))
                .extracting(FieldError::field).containsExactly("pipeline.options.selection");
        assertThat(errors(body("self_consistency", "", "{\"vote\": \"plurality\"}", null))).singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("pipeline.options.vote");
                    assertThat(e.message()).contains("likelihood", "majority", "weighted");
                });
    }

    @Test
    void aLikelihoodVoteNeedsNoRewardModel() {
        assertThat(parse(body("self_consistency", "", "{\"vote\": \"likelihood\", \"adaptive\": true}", null))
                .spec().options(SelfConsistency.Options.class))
                .isEqualTo(new SelfConsistency.Options("likelihood", List.of(), new Adaptive(4, 0.95)));
    }

    @Test
    void temperaturesMustBeAFewValidOnesAndNoMoreThanTheSamples() {
        assertThat(errors(body("self_consistency", "", "{\"temperatures\": [0.5, 3.0, \"hot\"]}", null)))
                .extracting(FieldError::field)
                .containsExactly("pipeline.options.temperatures[1]", "pipeline.options.temperatures[2]");
        assertThat(errors(body("self_consistency", "",
                "{\"temperatures\": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}", null)))
                .extracting(FieldError::field).containsExactly("pipeline.options.temperatures");
        var tooMany = body("self_consistency", "", "{\"temperatures\": [0.2, 0.4, 0.6]}", null).replace("\"n\": 8",
                "\"n\": 2");
        assertThat(errors(tooMany)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("pipeline.options.temperatures");
            assertThat(e.message()).contains("3 temperatures but only 2 samples");
        });
    }

    @Test
    void adaptiveSettingsAreCheckedFieldByField() {
        assertThat(errors(body("self_consistency", "",
                "{\"adaptive\": {\"batch\": 0, \"confidence\": 1.5, \"patience\": 2}}", null)))
                .extracting(FieldError::field).containsExactlyInAnyOrder("pipeline.options.adaptive.batch",
                        "pipeline.options.adaptive.confidence", "pipeline.options.adaptive.patience");
        assertThat(errors(body("best_of_n", "", "{\"adaptive\": \"yes\"}", null)))
                .extracting(FieldError::field).containsExactly("pipeline.options.adaptive");
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThat(errors(body("best_of_n", "", "{\"vote\": \"majority\"}", null)))
                .extracting(FieldError::field).containsExactly("pipeline.options.vote");
        assertThat(errors(body("first_finish", "", "{\"adaptive\": true}", null)))
                .extracting(FieldError::field).containsExactly("pipeline.options.adaptive");
    }

    @Test
    void requiringAVerifiedFirstFinishNeedsAVerifierAndAReference() {
        assertThat(errors(body("first_finish", "", "{\"requireVerified\": true}", null))).singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("pipeline.options.requireVerified");
                    assertThat(e.message()).contains("pipeline.verifier", "input.reference");
                });
        assertThat(errors(body("first_finish", ", \"verifier\": null", "{\"requireVerified\": true}", "42")))
                .extracting(FieldError::field).containsExactly("pipeline.options.requireVerified");
    }
}
