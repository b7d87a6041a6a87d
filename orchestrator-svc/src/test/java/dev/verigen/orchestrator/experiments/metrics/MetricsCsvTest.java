package dev.verigen.orchestrator.experiments.metrics;

import static dev.verigen.orchestrator.experiments.metrics.Fixtures.correctFirst;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.run;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsCsvTest {

    private static List<String> lines(Report report) {
        StringBuilder out = new StringBuilder();
        MetricsCsv.write(report, out);
        assertThat(out.toString()).endsWith("\r\n");
        return List.of(out.toString().split("\r\n"));
    }

    @Test
    void oneRowPerArmUnderFixedColumnsWithEmptyCellsBeyondAnArmsSamples() {
        Report report = ExperimentMetrics.compute(List.of(
                run("q1", "wide", true, correctFirst(4, 2)),
                run("q1", "narrow", false, List.of(verdict(0, false, true), verdict(1, true, true)))), 1);
        List<String> lines = lines(report);
        assertThat(lines.getFirst()).isEqualTo("arm,runs,accuracy,answered,tokens_mean,tokens_total,flops_total,"
                + "calls_total,pass@1,pass@2,pass@4,maj@1,maj@2,maj@4,bon@1,bon@2,bon@4,fpr,fnr,precision,"
                + "scorer_fpr,scorer_fnr,agreement_fpr,agreement_fnr");
        // agreement as a verdict: the two 42s are the run's leader and right, the two others neither
        assertThat(lines.get(1)).isEqualTo("wide,1,1,1,100,100,1000,2,0.5,0.833333,1,0.5,0.833333,1,,,,,,,,,0,0");
        // a tie goes to the earlier answer, the wrong one: it passes, the right one does not
        assertThat(lines.get(2)).startsWith("narrow,1,0,1,").endsWith(",,1,0,0.5,,,1,1");
        assertThat(lines.get(2).split(",", -1)).hasSize(24).satisfies(cells -> assertThat(cells[10]).isEmpty());
    }

    @Test
    void quotesLabelsWithSeparatorsQuotesAndLineBreaks() {
        assertThat(MetricsCsv.text("plain arm")).isEqualTo("plain arm");
        assertThat(MetricsCsv.text("bon,n=8")).isEqualTo("\"bon,n=8\"");
        assertThat(MetricsCsv.text("the \"best\" one")).isEqualTo("\"the \"\"best\"\" one\"");
        assertThat(MetricsCsv.text("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void defusesCellsASpreadsheetWouldRunAsFormulas() {
        assertThat(MetricsCsv.text("=1+1")).isEqualTo("'=1+1");
        assertThat(MetricsCsv.text("+cmd")).isEqualTo("'+cmd");
        assertThat(MetricsCsv.text("-2")).isEqualTo("'-2");
        assertThat(MetricsCsv.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(MetricsCsv.text("=HYPERLINK(\"http://x\",\"y\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(MetricsCsv.text("a=b")).isEqualTo("a=b");
    }

    @Test
    void theArmCellInARowIsEscaped() {
        Report report = ExperimentMetrics.compute(List.of(run("q1", "=evil,arm", true, correctFirst(1, 1))), 1);
        assertThat(lines(report).get(1)).startsWith("\"'=evil,arm\",1,");
    }

    @Test
    void numbersArePlainDecimals() {
        assertThat(MetricsCsv.number(1e-7)).isEqualTo("0");
        assertThat(MetricsCsv.number(2.5e-5)).isEqualTo("0.000025");
        assertThat(MetricsCsv.number(1234567.0)).isEqualTo("1234567");
        assertThat(MetricsCsv.number(null)).isEmpty();
        assertThat(MetricsCsv.number(Double.NaN)).isEmpty();
    }
}
