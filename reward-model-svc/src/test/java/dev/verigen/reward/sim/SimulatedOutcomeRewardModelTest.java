package dev.verigen.reward.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.MessageFixtures;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.simulation.TaskTruth;
import dev.verigen.reward.scoring.Scored;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SimulatedOutcomeRewardModelTest {

    private static final int ITEMS = 2_000;

    private static SimulatedOutcomeRewardModel model(long seed, double separation) {
        return new SimulatedOutcomeRewardModel(SimOrmProperties.independent(seed, separation, 1.0, Duration.ZERO),
                new SimpleMeterRegistry());
    }

    /** A task whose value the model works out itself: {@code 99 + i + 1}. */
    private static String task(int i) {
        return "What is " + (99 + i) + " + 1?";
    }

    /** A wrong answer to {@link #task} that is none of its misconceptions: a fresh slip. */
    private static int freshWrong(int i) {
        int answer = 100 + i;
        TaskTruth truth = TaskTruth.of(task(i));
        for (int d = 1 + i % 7; ; d++) {
            String candidate = String.valueOf(answer + d);
            if (truth.misconceptions().stream().noneMatch(m -> m.answer().equals(candidate))) {
                return answer + d;
            }
        }
    }

    /** Scores of {@value #ITEMS} candidates over distinct prompts, half of them correct; no reference is sent. */
    private static Population population(SimulatedOutcomeRewardModel model) {
        List<Double> correct = new ArrayList<>();
        List<Double> wrong = new ArrayList<>();
        for (int i = 0; i < ITEMS / 2; i++) {
            int answer = 100 + i;
            var right = new CandidateRef(UUID.randomUUID(), "Step by step, item " + i + ". Answer: " + answer);
            var bad = new CandidateRef(UUID.randomUUID(), "Step by step, item " + i + ". Answer: " + freshWrong(i));
            ScoringJob job = new ScoringJob(MessageFixtures.meta(), "sim-orm", task(i), List.of(right, bad));
            List<Score> scores = model.score(job).scores();
            correct.add(scores.get(0).value());
            wrong.add(scores.get(1).value());
        }
        return new Population(correct, wrong);
    }

    record Population(List<Double> correct, List<Double> wrong) {

        double meanGap() {
            return mean(correct) - mean(wrong);
        }

        /** Mann–Whitney: the share of (correct, wrong) pairs the model orders right, ties counting half. */
        double auc() {
            double wins = 0;
            for (double c : correct) {
                for (double w : wrong) {
                    wins += c > w ? 1 : c == w ? 0.5 : 0;
                }
            }
            return wins / ((double) correct.size() * wrong.size());
        }

        private static double mean(List<Double> xs) {
            return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }
    }

    @Test
    void correctCandidatesOutscoreWrongOnesByTheConfiguredMargin() {
        for (double separation : new double[] {1.5, 3.0}) {
            Population p = population(model(7, separation));
            double expected = Calibration.expectedMeanGap(separation, 1.0);
            assertThat(p.meanGap()).as("mean gap at separation %s", separation).isCloseTo(expected, within(0.03));
            assertThat(p.auc()).as("AUC at separation %s", separation)
                    .isCloseTo(Calibration.expectedAuc(separation, 1.0), within(0.03));
        }
    }

    @Test
    void defaultSeparationDiscriminatesWell() {
        Population p = population(model(42, 1.5));
        assertThat(p.auc()).isGreaterThan(0.8);
        assertThat(p.meanGap()).isGreaterThan(0.2);
    }

    @Test
    void zeroSeparationIsBlind() {
        Population p = population(model(42, 0));
        assertThat(p.auc()).isCloseTo(0.5, within(0.04));
        assertThat(p.meanGap()).isCloseTo(0.0, within(0.03));
    }

    @Test
    void scoresAreProbabilities() {
        Population p = population(model(1, 3.0));
        assertThat(p.correct()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
        assertThat(p.wrong()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
    }

    @Test
    void deterministicPerSeedPromptAndText() {
        var job = new ScoringJob(MessageFixtures.meta(), "sim-orm", "What is 6 * 7?",
                List.of(MessageFixtures.candidate(1), MessageFixtures.candidate(2)));
        List<Score> first = model(42, 1.5).score(job).scores();
        List<Score> again = model(42, 1.5).score(job).scores();
        assertThat(again).isEqualTo(first);

        // a different candidate id with the same text is the same text to a reward model
        var sameText = new ScoringJob(MessageFixtures.meta(), "sim-orm", "What is 6 * 7?",
                List.of(new CandidateRef(UUID.randomUUID(), MessageFixtures.candidate(1).text())));
        assertThat(model(42, 1.5).score(sameText).scores().getFirst().value()).isEqualTo(first.getFirst().value());

        assertThat(model(43, 1.5).score(job).scores().getFirst().value()).isNotEqualTo(first.getFirst().value());
        var otherPrompt = new ScoringJob(job.meta(), "sim-orm", "What is 7 * 6?", job.candidates());
        assertThat(model(42, 1.5).score(otherPrompt).scores().getFirst().value()).isNotEqualTo(first.getFirst().value());
    }

    @Test
    void aTaskItCannotReadGivesNoiseAroundOneHalf() {
        var model = model(42, 3.0);
        double sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            var job = new ScoringJob(MessageFixtures.meta(), "sim-orm", "Name a colour, case " + i + ".",
                    List.of(new CandidateRef(UUID.randomUUID(), "Answer: " + i)));
            sum += model.score(job).scores().getFirst().value();
        }
        assertThat(sum / ITEMS).isCloseTo(0.5, within(0.02));
    }

    @Test
    void aReferenceSentByAnOlderOrchestratorIsDroppedAndChangesNothing() {
        var model = model(42, 1.5);
        var job = new ScoringJob(MessageFixtures.meta(), "sim-orm", "What is 6 * 7?", List.of(
                new CandidateRef(UUID.randomUUID(), "Answer: 42"), new CandidateRef(UUID.randomUUID(), "Answer: 41")));
        String json = "{\"reference\": \"41\", " + dev.verigen.contracts.Json.writeString(job).substring(1);
        ScoringJob decoded = dev.verigen.contracts.Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ScoringJob.class);
        assertThat(model.score(decoded).scores()).isEqualTo(model.score(job).scores());
        // 42 is right: the model works that out from the task
        assertThat(model.score(job).scores().get(0).value()).isGreaterThan(model.score(job).scores().get(1).value());
    }

    @Test
    void itIsFooledByTheMisconceptionsTheSamplerFallsInto() {
        var shared = new SimulatedOutcomeRewardModel(new SimOrmProperties(42, 1.5, 1.0, 1.0, Duration.ZERO),
                new SimpleMeterRegistry());
        List<Double> correct = new ArrayList<>();
        List<Double> misconception = new ArrayList<>();
        List<Double> fresh = new ArrayList<>();
        for (int i = 0; i < ITEMS / 2; i++) {
            String task = "Compute " + (20 + i) + " * 3 + " + (7 + i % 11) + " - 5.";
            TaskTruth truth = TaskTruth.of(task);
            TaskTruth.Misconception top = truth.misconceptions().getFirst();
            assertThat(top.appeal()).isEqualTo(1.0);
            List<Score> scores = shared.score(new ScoringJob(MessageFixtures.meta(), "sim-orm", task, List.of(
                    new CandidateRef(UUID.randomUUID(), "Answer: " + truth.numericAnswer()),
                    new CandidateRef(UUID.randomUUID(), "Answer: " + top.answer()),
                    new CandidateRef(UUID.randomUUID(), "Answer: " + (truth.numericAnswer() + 1000))))).scores();
            correct.add(scores.get(0).value());
            misconception.add(scores.get(1).value());
            fresh.add(scores.get(2).value());
        }
        Population againstFresh = new Population(correct, fresh);
        Population againstMisconception = new Population(correct, misconception);
        assertThat(againstFresh.auc()).isCloseTo(Calibration.expectedAuc(1.5, 1.0), within(0.04));
        // sharedErrors 1: the most appealing misconception looks as right as the right answer
        assertThat(againstMisconception.auc()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void usageCountsCallsTokensAndSimulatedLatency() {
        var model = new SimulatedOutcomeRewardModel(SimOrmProperties.independent(42, 1.5, 1.0, Duration.ofMillis(2)),
                new SimpleMeterRegistry());
        var job = new ScoringJob(MessageFixtures.meta(), "sim-orm", "x".repeat(40),
                List.of(new CandidateRef(UUID.randomUUID(), "y".repeat(8)), new CandidateRef(UUID.randomUUID(), "z")));
        Scored scored = model.score(job);
        assertThat(scored.scores()).hasSize(2);
        assertThat(scored.usage().calls()).isEqualTo(2);
        assertThat(scored.usage().promptTokens()).isEqualTo(12 + 11); // ceil(48/4) + ceil(41/4)
        assertThat(scored.usage().completionTokens()).isZero();
        assertThat(scored.usage().engineMs()).isEqualTo(4);
    }

    @Test
    void calibrationFormulas() {
        assertThat(Calibration.expectedAuc(0, 1)).isCloseTo(0.5, within(1e-6));
        assertThat(Calibration.expectedAuc(1.5, 1)).isCloseTo(0.8556, within(1e-3));
        assertThat(Calibration.expectedMeanGap(0, 1)).isCloseTo(0, within(1e-9));
        assertThat(Calibration.meanScore(0, 1)).isCloseTo(0.5, within(1e-9));
    }
}
