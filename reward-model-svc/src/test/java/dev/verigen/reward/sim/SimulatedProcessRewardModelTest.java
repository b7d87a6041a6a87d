package dev.verigen.reward.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.reward.scoring.Aggregation;
import dev.verigen.reward.scoring.ScorerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SimulatedProcessRewardModelTest {

    private static final int ITEMS = 1_000;

    private static SimulatedProcessRewardModel model(double separation, int overconfident) {
        return new SimulatedProcessRewardModel(properties(7, separation, 1.0, overconfident, Aggregation.MIN),
                new SimpleMeterRegistry());
    }

    /** Settings without shared errors, so scores follow the separation alone. */
    private static SimPrmProperties properties(long seed, double separation, double noise, int overconfident,
                                               Aggregation aggregation) {
        return new SimPrmProperties(seed, separation, noise, overconfident, 2.5, 0.0, aggregation, "\\n",
                Duration.ZERO);
    }

    private static JobMeta meta() {
        return new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "t", null, null);
    }

    /** A task the model reads: its value is {@code 100 + i}. */
    private static String task(int i) {
        return "What is " + (99 + i) + " + 1?";
    }

    /** A six-step solution in the engine simulator's format, ending in the given answer. */
    private static String solution(int i, int answer) {
        return "Step 1: read problem " + i + "\nStep 2: set up\nStep 3: compute part a\nStep 4: compute part b\n"
                + "Step 5: combine\nAnswer: " + answer;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double auc(List<Double> correct, List<Double> wrong) {
        double wins = 0;
        for (double c : correct) {
            for (double w : wrong) {
                wins += c > w ? 1 : c == w ? 0.5 : 0;
            }
        }
        return wins / ((double) correct.size() * wrong.size());
    }

    @Test
    void aggregatedScoresSeparateCorrectFromWrongAndEarlyStepsAreOverconfident() {
        var model = model(3.0, 2);
        List<Double> correct = new ArrayList<>();
        List<Double> wrong = new ArrayList<>();
        List<Double> firstCorrect = new ArrayList<>();
        List<Double> firstWrong = new ArrayList<>();
        List<Double> lastCorrect = new ArrayList<>();
        List<Double> lastWrong = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            String prompt = task(i);
            var right = new CandidateRef(UUID.randomUUID(), solution(i, 100 + i));
            var bad = new CandidateRef(UUID.randomUUID(), solution(i, 101 + i));
            List<Score> scores = model.score(new ScoringJob(meta(), "sim-prm", prompt,
                    List.of(right, bad))).scores();
            correct.add(scores.get(0).value());
            wrong.add(scores.get(1).value());
            double[] rs = model.stepScores(prompt, right.text());
            double[] ws = model.stepScores(prompt, bad.text());
            assertThat(rs).hasSize(6);
            firstCorrect.add(rs[0]);
            firstWrong.add(ws[0]);
            lastCorrect.add(rs[5]);
            lastWrong.add(ws[5]);
            // min aggregation by default
            assertThat(scores.get(0).value()).isEqualTo(Aggregation.MIN.apply(rs));
        }
        assertThat(auc(correct, wrong)).as("AUC of min-aggregated scores").isGreaterThan(0.75);
        assertThat(mean(correct) - mean(wrong)).isGreaterThan(0.1);
        // early overconfidence: the first step scores high whether or not the solution is right
        assertThat(mean(firstWrong)).isGreaterThan(0.85);
        assertThat(mean(firstCorrect) - mean(firstWrong)).isCloseTo(0, within(0.02));
        assertThat(auc(firstCorrect, firstWrong)).isCloseTo(0.5, within(0.04));
        // ... while the last step (always wrong in a wrong solution) separates as configured
        assertThat(auc(lastCorrect, lastWrong)).isCloseTo(Calibration.expectedAuc(3.0, 1.0), within(0.03));
        assertThat(mean(lastCorrect) - mean(lastWrong)).isGreaterThan(0.4);
    }

    @Test
    void withoutOverconfidenceEarlyStepsCarrySignal() {
        var model = model(3.0, 0);
        List<Double> firstCorrect = new ArrayList<>();
        List<Double> firstWrong = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            firstCorrect.add(model.stepScores(task(i), solution(i, 100 + i))[0]);
            firstWrong.add(model.stepScores(task(i), solution(i, 101 + i))[0]);
        }
        // a wrong solution is wrong from its first step in 1 of 6 cases: the early signal is weak but there
        assertThat(mean(firstCorrect) - mean(firstWrong)).isGreaterThan(0.05);
        assertThat(mean(firstCorrect)).isLessThan(0.85);
    }

    @Test
    void zeroSeparationIsBlind() {
        var model = model(0, 0);
        List<Double> correct = new ArrayList<>();
        List<Double> wrong = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            correct.add(Aggregation.MEAN.apply(model.stepScores(task(i), solution(i, 100 + i))));
            wrong.add(Aggregation.MEAN.apply(model.stepScores(task(i), solution(i, 101 + i))));
        }
        assertThat(auc(correct, wrong)).isCloseTo(0.5, within(0.05));
    }

    /** The first steps of a solution of (a + b) * c - d in the engine simulator's format, each ending a line. */
    private static String partial(int a, int b, int c, int slipAt) {
        int sum = a + b + (slipAt == 2 ? 1 : 0);
        int product = sum * c + (slipAt == 3 ? 10 : 0);
        return "Step 1: We need to compute (" + a + " + " + b + ") * " + c + " - 4.\n"
                + "Step 2: " + a + " + " + b + " = " + sum + ".\n"
                + "Step 3: Multiply " + sum + " and " + c + " to get " + product + ".\n"
                + "Step 4: Then " + product + " - 4 gives " + (product - 4) + ".\n";
    }

    @Test
    void aPartialThatSlippedScoresLowUnderLastWhileARightOneIsNotPenalised() {
        var last = new SimulatedProcessRewardModel(properties(7, 3.0, 1.0, 2, Aggregation.LAST),
                new SimpleMeterRegistry());
        List<Double> right = new ArrayList<>();
        List<Double> slipped = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int a = 10 + i;
            int b = 3 + i % 7;
            // the slip is at step 3; step 4 then computes right from the wrong value, and is wrong all the same
            var job = new ScoringJob(meta(), "sim-prm", "Compute (" + a + " + " + b + ") * 6 - 4.",
                    List.of(new CandidateRef(UUID.randomUUID(), partial(a, b, 6, -1)),
                            new CandidateRef(UUID.randomUUID(), partial(a, b, 6, 3))));
            List<Score> scores = last.score(job).scores();
            right.add(scores.get(0).value());
            slipped.add(scores.get(1).value());
        }
        assertThat(mean(right)).isGreaterThan(0.7);
        assertThat(mean(right) - mean(slipped)).isGreaterThan(0.4);
    }

    @Test
    void partialsAreJudgedByTheirStepsAndFinishedOnesByTheirAnswer() {
        // noise ~0: every step past the overconfident two scores exactly sigmoid(±1.5)
        var exact = new SimulatedProcessRewardModel(properties(7, 3.0, 1e-9, 2, Aggregation.MIN),
                new SimpleMeterRegistry());
        double up = SimulatedOutcomeRewardModel.sigmoid(1.5);
        double down = SimulatedOutcomeRewardModel.sigmoid(-1.5);
        double early = SimulatedOutcomeRewardModel.sigmoid(2.5);
        String task = "Compute (12 + 7) * 6 - 4.";
        String reference = String.valueOf((12 + 7) * 6 - 4);

        assertThat(exact.stepScores(task, partial(12, 7, 6, -1)))
                .containsExactly(new double[] {early, early, up, up}, within(1e-6));
        assertThat(exact.stepScores(task, partial(12, 7, 6, 3)))
                .containsExactly(new double[] {early, early, down, down}, within(1e-6));
        // a slip inside the overconfident steps still makes every later step wrong
        assertThat(exact.stepScores(task, partial(12, 7, 6, 2)))
                .containsExactly(new double[] {early, early, down, down}, within(1e-6));

        String finished = partial(12, 7, 6, -1) + "Answer: " + reference;
        assertThat(exact.stepScores(task, finished))
                .containsExactly(new double[] {early, early, up, up, up}, within(1e-6));
        // every step right, then an answer that is not what they arrived at: only the answer step is wrong
        assertThat(exact.stepScores(task, partial(12, 7, 6, -1) + "Answer: 111"))
                .containsExactly(new double[] {early, early, up, up, down}, within(1e-6));
        // a finished candidate that slipped goes wrong where it slipped, not at a random step
        assertThat(exact.stepScores(task, partial(12, 7, 6, 3) + "Answer: " + (19 * 6 + 6)))
                .containsExactly(new double[] {early, early, down, down, down}, within(1e-6));
    }

    @Test
    void latentCorrectnessOfAPartialIsTaggedAsSuch() {
        var meters = new SimpleMeterRegistry();
        var model = new SimulatedProcessRewardModel(properties(7, 3.0, 1.0, 2, Aggregation.MIN), meters);
        model.score(new ScoringJob(meta(), "sim-prm", "Compute (12 + 7) * 6 - 4.",
                List.of(new CandidateRef(UUID.randomUUID(), partial(12, 7, 6, -1)))));
        assertThat(meters.find("verigen.reward.sim.score").tag("latent", "partial").summary()).isNotNull();
    }

    @Test
    void seededDeterministicAndAggregationSelectablePerJob() {
        var model = model(3.0, 2);
        var registry = new ScorerRegistry(List.of(model));
        var job = new ScoringJob(meta(), "sim-prm", "What is 6*7+1?",
                List.of(new CandidateRef(UUID.randomUUID(), "Step 1: 6*7 = 42\nStep 2: 42+1 = 43\nAnswer: 43"),
                        new CandidateRef(UUID.randomUUID(), "Step 1: 6*7 = 41\nStep 2: 41+1 = 42\nAnswer: 42")));
        assertThat(model.score(job).scores()).isEqualTo(model(3.0, 2).score(job).scores());

        double[] steps = model.stepScores(job.prompt(), job.candidates().get(0).text());
        for (Aggregation a : Aggregation.values()) {
            var scorer = registry.find("sim-prm:" + a.key()).orElseThrow();
            assertThat(scorer.name()).isEqualTo("sim-prm:" + a.key());
            assertThat(scorer.score(job).scores().getFirst().value()).isEqualTo(a.apply(steps));
        }
        var other = new SimulatedProcessRewardModel(properties(8, 3.0, 1.0, 2, Aggregation.MIN),
                new SimpleMeterRegistry());
        assertThat(other.stepScores(job.prompt(), job.candidates().get(0).text())).isNotEqualTo(steps);
        assertThat(model.stepScores("p", "  \n ")).isEmpty();
        assertThat(model.score(new ScoringJob(meta(), "sim-prm", "p",
                List.of(new CandidateRef(UUID.randomUUID(), "")))).scores().getFirst().value()).isZero();
    }

    @Test
    void theTaskDecidesAndAnUnreadableTaskLeavesOnlyTheStepsArithmetic() {
        var exact = new SimulatedProcessRewardModel(properties(7, 3.0, 1e-9, 0, Aggregation.MIN),
                new SimpleMeterRegistry());
        double up = SimulatedOutcomeRewardModel.sigmoid(1.5);
        double down = SimulatedOutcomeRewardModel.sigmoid(-1.5);
        var candidates = List.of(new CandidateRef(UUID.randomUUID(), "Step 1: 6 * 7 = 42.\nAnswer: 42"));
        var honest = exact.score(new ScoringJob(meta(), "sim-prm", "What is 6 * 7?", candidates));
        assertThat(honest.scores().getFirst().value()).isCloseTo(up, within(1e-6));
        var wrong = exact.score(new ScoringJob(meta(), "sim-prm", "What is 6 * 8?", candidates));
        assertThat(wrong.scores().getFirst().value()).isCloseTo(down, within(1e-6));
        // a task it cannot read: a slip in the steps' own arithmetic still shows, a wrong answer cannot
        assertThat(exact.stepScores("Tell me a story.", "Step 1: 6 * 7 = 41.\nAnswer: 41"))
                .containsExactly(new double[] {down, down}, within(1e-6));
        assertThat(exact.stepScores("Tell me a story.", "Step 1: 6 * 7 = 42.\nAnswer: 41"))
                .containsExactly(new double[] {up, up}, within(1e-6));
    }

    @Test
    void aSlipThatIsOneOfTheTasksMisconceptionsLooksLessWrong() {
        var shared = new SimulatedProcessRewardModel(new SimPrmProperties(7, 3.0, 1e-9, 0, 2.5, 1.0, Aggregation.MIN,
                "\\n", Duration.ZERO), new SimpleMeterRegistry());
        String task = "Compute (12 + 7) * 6 - 4.";
        var truth = dev.verigen.contracts.simulation.TaskTruth.of(task);
        var top = truth.misconceptions().getFirst();
        assertThat(top.slip()).isNotNull();
        var steps = truth.solution().orElseThrow().replay((i, l, op, r, right) ->
                i == top.slip().step() ? top.slip().result() : right);
        StringBuilder text = new StringBuilder();
        for (var step : steps) {
            text.append(step.left()).append(' ').append(step.op()).append(' ').append(step.right()).append(" = ")
                    .append(step.result()).append(".\n");
        }
        text.append("Answer: ").append(top.answer());
        double[] scores = shared.stepScores(task, text.toString());
        // sharedErrors 1 at appeal 1: the wrong steps score as if right
        assertThat(scores[scores.length - 1]).isCloseTo(SimulatedOutcomeRewardModel.sigmoid(1.5), within(1e-6));
    }
}
