package dev.verigen.orchestrator.experiments.metrics;

import static dev.verigen.orchestrator.experiments.metrics.Fixtures.answers;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.correctFirst;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.run;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentMetricsTest {

    @Test
    void armsComeInFirstSeenOrderWithAccuracyCountingFailuresAsWrong() {
        Report report = ExperimentMetrics.compute(List.of(
                run("q1", "bon@8", true, correctFirst(8, 2)),
                run("q1", "greedy", false, correctFirst(1, 0)),
                run("q2", "bon@8", null, List.of()),
                run("q3", "bon@8", false, correctFirst(8, 0))), 1);
        assertThat(report.arms()).extracting(ArmMetrics::arm).containsExactly("bon@8", "greedy");
        ArmMetrics bon = report.arms().getFirst();
        assertThat(bon.runs()).isEqualTo(3);
        assertThat(bon.items()).isEqualTo(3);
        assertThat(bon.accuracy()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(bon.answered()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(bon.statuses()).containsEntry("SUCCEEDED", 2).containsEntry("FAILED", 1);
        assertThat(bon.tokensTotal()).isEqualTo(300);
        assertThat(bon.tokensMean()).isEqualTo(100.0);
        assertThat(bon.flopsTotal()).isEqualByComparingTo(BigDecimal.valueOf(3000));
        assertThat(bon.callsTotal()).isEqualTo(6);
    }

    @Test
    void passAtKIsTheMeanOverRunsThatDrewKSamples() {
        Report report = ExperimentMetrics.compute(List.of(
                run("q1", "a", true, correctFirst(5, 2)),
                run("q2", "a", true, correctFirst(2, 0)),
                run("q3", "a", null, List.of())), 1);
        ArmMetrics arm = report.arms().getFirst();
        assertThat(arm.passAtK()).extracting(AtK::k).containsExactly(1, 2, 4, 5);
        assertThat(arm.passAt(2)).isCloseTo((0.7 + 0.0) / 2, within(1e-12));
        assertThat(arm.passAtK().get(1).runs()).isEqualTo(2);
        assertThat(arm.passAt(4)).isEqualTo(1.0);
        assertThat(arm.passAtK().get(2).runs()).isEqualTo(1);
        assertThat(arm.maxK()).isEqualTo(5);
        assertThat(arm.passAt(8)).isNull();
    }

    @Test
    void majorityAtNIsTheExactVoteAndTheReportIsDeterministicPerSeed() {
        List<GradedRun> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // 16 samples, 6 right, the rest split: plenty of subsets, so majority@8 is sampled
            String[] answers = new String[16];
            for (int j = 0; j < 16; j++) {
                answers[j] = j % 8 < 3 ? Fixtures.RIGHT : "w" + (j % 3);
            }
            runs.add(run("q" + i, "sc", true, answers(answers)));
        }
        Report once = ExperimentMetrics.compute(runs, 42);
        assertThat(ExperimentMetrics.compute(runs, 42)).isEqualTo(once);
        assertThat(ExperimentMetrics.compute(runs.reversed(), 42).arms().getFirst().majorityAtK())
                .isEqualTo(once.arms().getFirst().majorityAtK());
        // over all 16: "42" ×6 against "w0"/"w1"/"w2" with at most 4 each
        assertThat(once.arms().getFirst().majorityAt(16)).isEqualTo(1.0);
        assertThat(once.arms().getFirst().majorityAt(8)).isBetween(0.0, 1.0);
    }

    @Test
    void bestOfNAveragesOnlyRunsWithScoresAndIsNullForAnArmWithout() {
        Report report = ExperimentMetrics.compute(List.of(
                run("q1", "rm", true, List.of(scored(0, "7", 0.2), scored(1, "42", 0.8))),
                run("q2", "rm", false, answers("7", "42")),
                run("q1", "vote", true, answers("42", "42"))), 1);
        ArmMetrics rm = report.arms().get(0);
        assertThat(rm.bestOfNAt(2)).isEqualTo(1.0);
        assertThat(rm.bestOfNAtK().get(1).runs()).isEqualTo(1);
        assertThat(report.arms().get(1).bestOfNAtK()).isNull();
        assertThat(report.arms().get(1).bestOfNAt(2)).isNull();
    }

    @Test
    void itemsArePooledOverArmsWithPassAtOneAsCorrectOverSamples() {
        Report report = ExperimentMetrics.compute(List.of(
                run("q1", "a", true, correctFirst(4, 1)),
                run("q1", "b", false, correctFirst(4, 3)),
                run("q2", "a", null, List.of())), 1);
        assertThat(report.items()).containsExactly(
                new ItemMetrics("q1", 2, 0.5, 0.5, 8),
                new ItemMetrics("q2", 1, 0.0, null, 0));
        assertThat(report.arms().get(0).itemBreakdown().getFirst().pass1()).isEqualTo(0.25);
        assertThat(ItemMetrics.pass1ByItem(report.items())).containsOnlyKeys("q1");
    }

    @Test
    void emptyInputsGiveNullsAndEmptyCurvesNotNaN() {
        Report none = ExperimentMetrics.compute(List.of(), 1);
        assertThat(none.arms()).isEmpty();
        assertThat(none.items()).isEmpty();

        Report sampleless = ExperimentMetrics.compute(List.of(
                new GradedRun("q1", "a", 1, "FAILED", null, 0, null, 0, null)), 1);
        ArmMetrics arm = sampleless.arms().getFirst();
        assertThat(arm.accuracy()).isZero();
        assertThat(arm.passAtK()).isEmpty();
        assertThat(arm.majorityAtK()).isEmpty();
        assertThat(arm.bestOfNAtK()).isNull();
        assertThat(arm.coverageFit()).isNull();
        assertThat(arm.verifier()).isNull();
        assertThat(arm.flopsTotal()).isNull();
        assertThat(arm.maxK()).isZero();

        String json = Json.writeString(sampleless);
        assertThat(json).doesNotContain("NaN").contains("\"bestOfNAtK\":null").contains("\"pass1\":null");
        StringBuilder csv = new StringBuilder();
        MetricsCsv.write(sampleless, csv);
        assertThat(csv).doesNotContain("NaN");
        assertThat(MetricsTable.render(sampleless)).doesNotContain("NaN");
    }

    @Test
    void serialisesToJsonAsTheRecordsStand() {
        Report report = ExperimentMetrics.compute(List.of(run("q1", "a", true, correctFirst(4, 2))), 3);
        String json = Json.writeString(report);
        assertThat(json).contains("\"seed\":3", "\"arm\":\"a\"", "\"passAtK\":[{\"k\":1,\"value\":0.5,\"runs\":1}",
                "\"statuses\":{\"SUCCEEDED\":1}", "\"flopsTotal\":1000");
        assertThat(Json.read(json.getBytes(), Report.class)).isEqualTo(report);
    }

    @Test
    void theRewardModelAndAgreementAreMeasuredAsVerifiersAndCoverageIsSplitByTemperature() {
        List<GradedSample> samples = List.of(
                new GradedSample(0, "42", true, null, 0.9, null, 10, 0.3),
                new GradedSample(1, "42", true, null, 0.4, null, 10, 0.3),
                new GradedSample(2, "41", false, null, 0.7, null, 10, 1.0),
                new GradedSample(3, "40", false, null, 0.2, null, 10, 1.0));
        ArmMetrics arm = ExperimentMetrics.compute(List.of(Fixtures.run("q1", "a", true, samples)), 1).arms()
                .getFirst();
        // score >= 0.5 passes: one right rejected (0.4), one wrong let through (0.7)
        assertThat(arm.scorer().falsePositiveRate()).isEqualTo(0.5);
        assertThat(arm.scorer().falseNegativeRate()).isEqualTo(0.5);
        assertThat(arm.agreement().falsePositiveRate()).isEqualTo(0.0);
        assertThat(arm.agreement().falseNegativeRate()).isEqualTo(0.0);
        assertThat(arm.byTemperature()).extracting(ArmMetrics.TemperatureCoverage::temperature)
                .containsExactly(0.3, 1.0);
        assertThat(arm.byTemperature().get(0).accuracy()).isEqualTo(1.0);
        assertThat(arm.byTemperature().get(1).accuracy()).isEqualTo(0.0);
        assertThat(arm.byTemperature().get(1).distinct()).isEqualTo(2.0);
        assertThat(arm.byTemperature().get(0).passAtK()).extracting(AtK::k).containsExactly(1, 2);
    }
}
