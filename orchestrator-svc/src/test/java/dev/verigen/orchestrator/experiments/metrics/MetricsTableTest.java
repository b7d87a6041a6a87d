package dev.verigen.orchestrator.experiments.metrics;

import static dev.verigen.orchestrator.experiments.metrics.Fixtures.correctFirst;
import static dev.verigen.orchestrator.experiments.metrics.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTableTest {

    @Test
    void columnsLineUpAcrossArmsOfDifferentWidths() {
        Report report = ExperimentMetrics.compute(List.of(
                run("q1", "best_of_n n=16 budget=large", true, correctFirst(16, 4)),
                run("q1", "g", false, correctFirst(1, 0))), 1);
        List<String> lines = MetricsTable.render(report).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.getFirst()).startsWith("arm ").contains("| tokens/run |", "| pass@k |", "| fnr");
        assertThat(lines).extracting(String::length).containsOnly(lines.getFirst().length());
        assertThat(lines.get(2)).startsWith("best_of_n n=16 budget=large | ").contains("| 16 |  1.000 | 1.000 |");
        assertThat(lines.get(3)).startsWith("g  ").endsWith("|   - |   -");
        for (int i = 0; i < lines.getFirst().length(); i++) {
            char c = lines.getFirst().charAt(i);
            if (c == '|') {
                int at = i;
                assertThat(lines).allSatisfy(l -> assertThat(l.charAt(at)).isIn('|', '+'));
            }
        }
    }

    @Test
    void aLineBreakInALabelCannotBreakTheTable() {
        Report report = ExperimentMetrics.compute(List.of(run("q1", "two\nlines", true, correctFirst(2, 1))), 1);
        assertThat(MetricsTable.render(report).lines()).hasSize(3);
        assertThat(MetricsTable.render(report)).contains("two lines");
    }
}
