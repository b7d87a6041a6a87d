package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StepwiseOptionsTest {

    private final RunRequestParser parser = new RunRequestParser(
            new StrategyRegistry(List.of(new BestOfN(), new BeamSearch(), new Dvts(), new ParticleFilter(),
                    new AStar())),
            new OrchestratorProperties(Set.of("sim-math"), Set.of("exact", "numeric"), Set.of("sim-orm", "sim-prm"),
                    new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
                    new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100)));
    private final JsonMapper mapper = JsonMapper.builder().build();

    private CreateRun parse(String pipeline) {
        return parser.parse(mapper.readTree("{\"pipeline\": " + pipeline
                + ", \"input\": {\"prompt\": \"What is 17 * 23 + 5?\", \"reference\": \"396\"}}"), 1L);
    }

    private List<FieldError> errors(String pipeline) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> parse(pipeline));
        assertThat(problem).as("expected %s to be refused", pipeline).isNotNull();
        return problem.errors();
    }

    @Test
    void beamSearchDefaultsAreFilledAndThePrmDefaultsToTheRewardModel() {
        var run = parse("""
                {"strategy": "beam_search", "model": "sim-math", "rewardModel": "sim-prm:last"}""");
        assertThat(run.spec().options(BeamSearch.Options.class))
                .isEqualTo(new BeamSearch.Options(4, 4, 16, 0, "sim-prm:last", false));
        var explicit = parse("""
                {"strategy": "beam_search", "model": "sim-math", "rewardModel": "sim-orm",
                 "options": {"beamWidth": 2, "expansions": 3, "maxSteps": 8, "lookahead": 1, "prm": "sim-prm:min"}}""");
        assertThat(explicit.spec().options(BeamSearch.Options.class))
                .isEqualTo(new BeamSearch.Options(2, 3, 8, 1, "sim-prm:min", false));
    }

    @Test
    void stepwiseSearchWithoutAnyProcessRewardModelIsRefused() {
        for (String strategy : List.of("beam_search", "dvts", "particle_filter", "a_star")) {
            assertThat(errors("{\"strategy\": \"" + strategy + "\", \"model\": \"sim-math\"}"))
                    .extracting(FieldError::field).containsExactly("pipeline.options.prm");
        }
        assertThat(errors("""
                {"strategy": "beam_search", "model": "sim-math", "options": {"prm": "nope"}}"""))
                .extracting(FieldError::field).contains("pipeline.options.prm");
    }

    @Test
    void impossibleBeamSettingsAreRefusedWithTheirPaths() {
        assertThat(errors("""
                {"strategy": "beam_search", "model": "sim-math", "rewardModel": "sim-prm",
                 "options": {"beamWidth": 0, "maxSteps": 1000, "lookahead": -1, "dvts": "yes", "width": 3}}"""))
                .extracting(FieldError::field).containsExactlyInAnyOrder("pipeline.options.beamWidth",
                        "pipeline.options.maxSteps", "pipeline.options.lookahead", "pipeline.options.dvts",
                        "pipeline.options.width");
        assertThat(errors("""
                {"strategy": "beam_search", "model": "sim-math", "rewardModel": "sim-prm",
                 "options": {"beamWidth": 32, "expansions": 16}}"""))
                .extracting(FieldError::field).containsExactly("pipeline.options.expansions");
    }

    @Test
    void dvtsIsBeamSearchWithTheVariantFixed() {
        var run = parse("""
                {"strategy": "dvts", "model": "sim-math", "options": {"prm": "sim-prm:last", "beamWidth": 4}}""");
        assertThat(run.spec().options(BeamSearch.Options.class).dvts()).isTrue();
        assertThat(errors("""
                {"strategy": "dvts", "model": "sim-math", "options": {"prm": "sim-prm", "dvts": false}}"""))
                .extracting(FieldError::field).containsExactly("pipeline.options.dvts");
        var option = parse("""
                {"strategy": "beam_search", "model": "sim-math", "options": {"prm": "sim-prm", "dvts": true}}""");
        assertThat(option.spec().options(BeamSearch.Options.class).dvts()).isTrue();
    }

    @Test
    void particleFilterDefaultsAndChecks() {
        var run = parse("""
                {"strategy": "particle_filter", "model": "sim-math", "n": 8, "rewardModel": "sim-prm:last"}""");
        assertThat(run.spec().options(ParticleFilter.Options.class))
                .isEqualTo(new ParticleFilter.Options(1.0, true, 0.5, 16, "sim-prm:last", "logit"));
        assertThat(errors("""
                {"strategy": "particle_filter", "model": "sim-math", "rewardModel": "sim-prm",
                 "options": {"temperature": 0, "essThreshold": 2, "weights": "softmax", "anneal": 1}}"""))
                .extracting(FieldError::field).containsExactlyInAnyOrder("pipeline.options.temperature",
                        "pipeline.options.essThreshold", "pipeline.options.weights", "pipeline.options.anneal");
    }

    @Test
    void aStarDefaultsAreFilledAndItsBoundsChecked() {
        var run = parse("""
                {"strategy": "a_star", "model": "sim-math", "options": {"prm": "sim-prm:last"}}""");
        assertThat(run.spec().options(AStar.Options.class))
                .isEqualTo(new AStar.Options(4, 1, 64, 1, 1, 64, 0.1, "sim-prm:last"));
        assertThat(errors("""
                {"strategy": "a_star", "model": "sim-math", "options": {"prm": "sim-prm", "expansions": 2, "keep": 3}}"""))
                .extracting(FieldError::field).containsExactly("pipeline.options.keep");
        assertThat(errors("""
                {"strategy": "a_star", "model": "sim-math",
                 "options": {"prm": "sim-prm", "expansions": 64, "parallel": 8, "frontier": 0, "depthWeight": -1}}"""))
                .extracting(FieldError::field)
                .contains("pipeline.options.expansions", "pipeline.options.frontier", "pipeline.options.depthWeight");
    }
}
