package dev.verigen.orchestrator.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageFitTest {

    @Test
    void recoversTheParametersOfAnExactPowerLaw() {
        double a = 0.4;
        double b = -0.6;
        List<AtK> curve = new ArrayList<>();
        for (int k = 1; k <= 256; k *= 2) {
            curve.add(new AtK(k, Math.exp(-Math.exp(a) * Math.pow(k, b)), 10));
        }
        CoverageFit fit = CoverageFit.of(curve);
        assertThat(fit.a()).isCloseTo(a, within(1e-9));
        assertThat(fit.b()).isCloseTo(b, within(1e-9));
        assertThat(fit.r2()).isCloseTo(1.0, within(1e-9));
        assertThat(fit.points()).isEqualTo(9);
        assertThat(fit.predict(1024)).isCloseTo(Math.exp(-Math.exp(a) * Math.pow(1024, b)), within(1e-9));
    }

    @Test
    void skipsPointsAtZeroOrOneAndNeedsTwoOthers() {
        List<AtK> curve = List.of(new AtK(1, 0.0, 1), new AtK(2, 0.3, 1), new AtK(4, 0.6, 1), new AtK(8, 1.0, 1));
        assertThat(CoverageFit.of(curve).points()).isEqualTo(2);
        assertThat(CoverageFit.of(List.of(new AtK(1, 0.5, 1), new AtK(2, 1.0, 1)))).isNull();
        assertThat(CoverageFit.of(List.of())).isNull();
    }

    @Test
    void noisyPointsFitLessThanPerfectly() {
        List<AtK> curve = List.of(new AtK(1, 0.2, 1), new AtK(2, 0.45, 1), new AtK(4, 0.4, 1), new AtK(8, 0.8, 1));
        CoverageFit fit = CoverageFit.of(curve);
        assertThat(fit.b()).isNegative();
        assertThat(fit.r2()).isBetween(0.0, 0.999);
    }
}
