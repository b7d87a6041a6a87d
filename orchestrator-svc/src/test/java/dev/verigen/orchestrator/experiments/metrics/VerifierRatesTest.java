package dev.verigen.orchestrator.experiments.metrics;

import static dev.verigen.orchestrator.experiments.metrics.Fixtures.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierRatesTest {

    @Test
    void countsAndRatesFromASmallTable() {
        // correct/PASS ×3 (TP), wrong/PASS ×1 (FP), wrong/FAIL ×2 (TN), correct/FAIL ×1 (FN), one without verdict
        VerifierRates r = VerifierRates.of(List.of(
                verdict(0, true, true), verdict(1, true, true), verdict(2, true, true),
                verdict(3, false, true),
                verdict(4, false, false), verdict(5, false, false),
                verdict(6, true, false),
                verdict(7, false, null)));
        assertThat(r.truePositives()).isEqualTo(3);
        assertThat(r.falsePositives()).isEqualTo(1);
        assertThat(r.trueNegatives()).isEqualTo(2);
        assertThat(r.falseNegatives()).isEqualTo(1);
        assertThat(r.falsePositiveRate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.falseNegativeRate()).isCloseTo(1.0 / 4, within(1e-12));
        assertThat(r.precision()).isCloseTo(3.0 / 4, within(1e-12));
    }

    @Test
    void nullWithoutVerdictsAndNullRatesWithoutTheirDenominator() {
        assertThat(VerifierRates.of(List.of(verdict(0, true, null)))).isNull();
        assertThat(VerifierRates.of(List.of())).isNull();
        // only correct samples: no negatives, so no false-positive rate; all rejected, so no precision
        VerifierRates onlyRight = VerifierRates.of(List.of(verdict(0, true, false)));
        assertThat(onlyRight.falsePositiveRate()).isNull();
        assertThat(onlyRight.precision()).isNull();
        assertThat(onlyRight.falseNegativeRate()).isEqualTo(1.0);
    }
}
