package dev.verigen.orchestrator.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PassAtKTest {

    @Test
    void matchesTheBinomialFormByHand() {
        // 1 − C(3,2)/C(5,2) = 1 − 3/10
        assertThat(PassAtK.estimate(5, 2, 2)).isCloseTo(0.7, within(1e-12));
        // 1 − C(6,3)/C(10,3) = 1 − 20/120
        assertThat(PassAtK.estimate(10, 4, 3)).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(PassAtK.estimate(5, 2, 1)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void noCorrectSampleIsZeroAndAllCorrectIsOne() {
        assertThat(PassAtK.estimate(8, 0, 4)).isZero();
        assertThat(PassAtK.estimate(8, 8, 1)).isEqualTo(1.0);
    }

    @Test
    void isOneWhenEveryKSubsetMustHoldACorrectSample() {
        // k > n − c: 3 wrong samples cannot fill a subset of 4
        assertThat(PassAtK.estimate(5, 2, 4)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(5, 2, 3)).isLessThan(1.0);
    }

    @Test
    void staysFiniteWhereTheBinomialsWouldOverflow() {
        double p = PassAtK.estimate(10_000, 3, 5_000);
        assertThat(p).isBetween(0.0, 1.0);
        // 1 − (1/2)(4999/9999)(4998/9998) ≈ 0.875
        assertThat(p).isCloseTo(0.875, within(1e-3));
    }

    @Test
    void refusesKOutsideOneToN() {
        assertThatThrownBy(() -> PassAtK.estimate(4, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(4, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(4, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gridIsPowersOfTwoPlusN() {
        assertThat(PassAtK.ks(8)).containsExactly(1, 2, 4, 8);
        assertThat(PassAtK.ks(6)).containsExactly(1, 2, 4, 6);
        assertThat(PassAtK.ks(1)).containsExactly(1);
        assertThat(PassAtK.ks(0)).isEmpty();
    }
}
