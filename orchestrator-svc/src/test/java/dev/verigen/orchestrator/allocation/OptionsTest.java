package dev.verigen.orchestrator.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static List<String> errors(Map<String, Object> raw) {
        var e = catchThrowableOfType(Options.InvalidOptions.class, () -> Options.read(raw));
        assertThat(e).as("expected invalid options").isNotNull();
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void defaultsAreAOnlyVotingAllocatorWithAFourSamplePilot() {
        Options o = Options.read(Map.of("model", "sim-math"));
        assertThat(o.pilotSamples()).isEqualTo(4);
        assertThat(o.maxSamples()).isEqualTo(64);
        assertThat(o.bins()).isEqualTo(5);
        assertThat(o.abstain()).isFalse();
        assertThat(o.arms()).singleElement().satisfies(a -> {
            assertThat(a.voting()).isTrue();
            assertThat(a.name()).isEqualTo("vote");
            assertThat(a.options()).containsEntry("selection", "best");
        });
    }

    @Test
    void searchArmsAreNormalisedByTheirOwnStrategy() {
        Options o = Options.read(Map.of("model", "sim-math", "strategies", List.of(
                Map.of("name", "vote", "strategy", "self_consistency"),
                Map.of("name", "pf4", "strategy", "particle_filter", "n", 4, "maxTokens", 9000,
                        "options", Map.of("prm", "sim-prm:last")))));
        assertThat(o.votingArm().strategy()).isEqualTo("self_consistency");
        assertThat(o.searchArms()).singleElement().satisfies(a -> {
            assertThat(a.n()).isEqualTo(4);
            assertThat(a.maxTokens()).isEqualTo(9000);
            var normalised = dev.verigen.contracts.Json.convert(a.options(), ParticleFilter.Options.class);
            assertThat(normalised.prm()).isEqualTo("sim-prm:last");
            assertThat(normalised.temperature()).isEqualTo(1.0);
            assertThat(normalised.maxSteps()).isEqualTo(16);
        });
    }

    @Test
    void aBestOfNArmWithVerificationsBuysSolutionsJudgedByAGenerativeVerifier() {
        Options o = Options.read(Map.of("model", "sim-math", "rewardModel", "sim-orm", "strategies", List.of(
                Map.of("name", "vote", "strategy", "self_consistency"),
                Map.of("name", "genrm", "strategy", "best_of_n", "n", 8, "verifications", 4, "maxTokens", 4000),
                Map.of("name", "genrm-big", "strategy", "best_of_n", "n", 4, "verifications", 2, "judge",
                        "sim-large", "maxTokens", 4000))));
        assertThat(o.votingArm().name()).isEqualTo("vote");
        assertThat(o.searchArms()).extracting(Arm::name, Arm::verifying, Arm::verifications, Arm::rewardModel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("genrm", true, 4, "judge:sim-math:k=4"),
                        org.assertj.core.groups.Tuple.tuple("genrm-big", true, 2, "judge:sim-large:k=2"));
        assertThat(o.votingArm().rewardModel(o.rewardModel())).isEqualTo("sim-orm");
        assertThat(errors(Map.of("model", "m", "strategies", List.of(
                Map.of("name", "vote", "strategy", "best_of_n"),
                Map.of("name", "v", "strategy", "best_of_n", "n", 4, "verifications", 0),
                Map.of("name", "w", "strategy", "self_consistency", "verifications", 2, "maxTokens", 10),
                Map.of("name", "x", "strategy", "best_of_n", "verifications", 33, "maxTokens", 10),
                Map.of("name", "y", "strategy", "best_of_n", "judge", "m", "maxTokens", 10),
                Map.of("name", "z", "strategy", "best_of_n", "verifications", 2)))))
                .containsExactlyInAnyOrder("allocation.strategies[1].verifications",
                        "allocation.strategies[2].verifications",
                        "allocation.strategies[3].verifications", "allocation.strategies[4].judge",
                        "allocation.strategies[5].maxTokens");
    }

    @Test
    void everyProblemIsNamedByItsPath() {
        assertThat(errors(Map.of("pilotSamples", 0, "colour", "red", "abstainBelow", 2))).containsExactlyInAnyOrder(
                "allocation.model", "allocation.pilotSamples", "allocation.colour", "allocation.abstainBelow");
        assertThat(errors(Map.of("model", "m", "strategies", List.of(
                Map.of("name", "vote", "strategy", "best_of_n"),
                Map.of("name", "pf", "strategy", "particle_filter", "n", 4,
                        "options", Map.of("prm", "sim-prm", "temperature", 1000)),
                Map.of("name", "x", "strategy", "telepathy")))))
                .containsExactlyInAnyOrder("allocation.strategies[1].maxTokens",
                        "allocation.strategies[1].options.temperature", "allocation.strategies[2].strategy");
        assertThat(errors(Map.of("model", "m", "strategies", List.of(
                Map.of("name", "a", "strategy", "best_of_n"), Map.of("name", "b", "strategy", "self_consistency")))))
                .containsExactly("allocation.strategies");
        assertThat(errors(Map.of("model", "m", "pilotSamples", 8, "maxSamples", 4)))
                .containsExactly("allocation.maxSamples");
    }
}
