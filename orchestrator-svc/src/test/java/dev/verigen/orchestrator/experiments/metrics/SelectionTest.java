package dev.verigen.orchestrator.experiments.metrics;

import static dev.verigen.orchestrator.experiments.metrics.Fixtures.answers;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.run;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** majority@k and best-of-N@k of single runs. */
class SelectionTest {

    private static RunSamples samples(List<GradedSample> samples) {
        return RunSamples.of(run("q", "arm", true, samples));
    }

    @Test
    void majorityAtNIsTheVoteOverAllSamples() {
        assertThat(samples(answers("7", "42", "7", "42", "42", null)).selectAt(6, 1).majority()).isEqualTo(1.0);
        assertThat(samples(answers("7", "42", "7", "7", "42")).selectAt(5, 1).majority()).isZero();
    }

    @Test
    void majorityTieGoesToTheAnswerSeenFirst() {
        assertThat(samples(answers("7", "42", "42", "7")).selectAt(4, 1).majority()).isZero();
        assertThat(samples(answers("42", "7", "7", "42")).selectAt(4, 1).majority()).isEqualTo(1.0);
    }

    @Test
    void earliestMeansLowestIndexNotListPosition() {
        List<GradedSample> shuffled = List.of(
                new GradedSample(3, "7", false, null, null, null, 1),
                new GradedSample(2, "7", false, null, null, null, 1),
                new GradedSample(0, "42", true, null, null, null, 1),
                new GradedSample(1, "42", true, null, null, null, 1));
        assertThat(samples(shuffled).selectAt(4, 1).majority()).isEqualTo(1.0);
    }

    @Test
    void samplesWithoutAnAnswerDoNotVoteAndAnEmptyVoteIsWrong() {
        assertThat(samples(answers(null, null, null, "42")).selectAt(4, 1).majority()).isEqualTo(1.0);
        assertThat(samples(answers(null, null, null)).selectAt(3, 1).majority()).isZero();
    }

    @Test
    void smallSubsetFamiliesAreEnumeratedExactly() {
        String[] answers = {"7", "42", "9", "7", "42", "42", null, "9"};
        RunSamples run = samples(answers(answers));
        for (int k = 1; k <= answers.length; k++) {
            assertThat(run.selectAt(k, 99).majority()).as("k=%d", k)
                    .isCloseTo(bruteForceMajority(answers, k), within(1e-12));
        }
    }

    @Test
    void largeSubsetFamiliesAreSampledReproduciblyAndNearTheTruth() {
        String[] answers = {"42", "7", "9", "7", "42", "3", "42", null, "9", "7", "42", "1"};
        RunSamples run = samples(answers(answers));
        double estimate = run.selectAt(6, 12345).majority(); // C(12,6) = 924 subsets: sampled
        assertThat(run.selectAt(6, 12345).majority()).isEqualTo(estimate);
        assertThat(estimate).isCloseTo(bruteForceMajority(answers, 6), within(0.1));
    }

    @Test
    void bestOfNPicksTheHighestScore() {
        RunSamples run = samples(List.of(scored(0, "7", 0.1), scored(1, "42", 0.9), scored(2, "9", 0.5)));
        assertThat(run.selectAt(3, 1).bestOfN()).isEqualTo(1.0);
        // over the three pairs {0,1} {0,2} {1,2}, the right sample wins the two it is in
        assertThat(run.selectAt(2, 1).bestOfN()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void bestOfNTieGoesToTheEarliestAndScoredBeatsUnscored() {
        assertThat(samples(List.of(scored(0, "7", 0.9), scored(1, "42", 0.9))).selectAt(2, 1).bestOfN()).isZero();
        List<GradedSample> partlyScored = List.of(
                new GradedSample(0, "42", true, null, null, null, 1), scored(1, "7", 0.1));
        assertThat(samples(partlyScored).selectAt(2, 1).bestOfN()).isZero();
    }

    @Test
    void bestOfOneIsPassAtOne() {
        RunSamples run = samples(List.of(scored(0, "7", 0.1), scored(1, "42", 0.2), scored(2, "9", 0.3)));
        assertThat(run.selectAt(1, 1).bestOfN()).isCloseTo(run.passAt(1), within(1e-12));
    }

    @Test
    void bestOfNIsNullWithoutScores() {
        assertThat(samples(answers("42", "7")).selectAt(2, 1).bestOfN()).isNull();
    }

    /** Every k-subset by bitmask, voted with a map in first-appearance order: an independent implementation. */
    private static double bruteForceMajority(String[] answers, int k) {
        int n = answers.length;
        int subsets = 0;
        int right = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            Map<String, Integer> votes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0 && answers[i] != null) {
                    votes.merge(answers[i], 1, Integer::sum);
                }
            }
            String winner = null;
            int most = 0;
            for (var e : votes.entrySet()) {
                if (e.getValue() > most) {
                    most = e.getValue();
                    winner = e.getKey();
                }
            }
            subsets++;
            right += Fixtures.RIGHT.equals(winner) ? 1 : 0;
        }
        return (double) right / subsets;
    }
}
