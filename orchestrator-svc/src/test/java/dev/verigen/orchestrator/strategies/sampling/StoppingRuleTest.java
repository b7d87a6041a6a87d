package dev.verigen.orchestrator.strategies.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class StoppingRuleTest {

    /** For whole counts, P(Beta(v1+1, v2+1) > 1/2) = P(Binomial(v1+v2+1, 1/2) ≤ v1), computed exactly. */
    private static double exact(int leader, int runnerUp) {
        int m = leader + runnerUp + 1;
        BigInteger sum = BigInteger.ZERO;
        BigInteger choose = BigInteger.ONE;
        for (int j = 0; j <= leader; j++) {
            sum = sum.add(choose);
            choose = choose.multiply(BigInteger.valueOf(m - j)).divide(BigInteger.valueOf(j + 1));
        }
        return new BigDecimal(sum).divide(new BigDecimal(BigInteger.TWO.pow(m)), MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void matchesTheExactBinomialFormForWholeCounts() {
        for (int a = 0; a <= 60; a++) {
            for (int b = 0; b <= 60; b++) {
                assertThat(StoppingRule.leaderStays(a, b)).as("%d vs %d", a, b).isCloseTo(exact(a, b), within(1e-9));
            }
        }
        assertThat(StoppingRule.leaderStays(300, 260)).isCloseTo(exact(300, 260), within(1e-9));
    }

    @Test
    void unanimityNeedsFourVotesAtNinetyFivePercent() {
        assertThat(StoppingRule.leaderStays(4, 0)).isCloseTo(1 - Math.pow(0.5, 5), within(1e-12));
        assertThat(StoppingRule.safe(4, 0, 0.95)).isTrue();
        assertThat(StoppingRule.safe(3, 0, 0.95)).isFalse();
        assertThat(StoppingRule.safe(6, 2, 0.95)).isFalse();
        assertThat(StoppingRule.safe(12, 2, 0.95)).isTrue();
    }

    @Test
    void aTieIsACoinFlipAndTheRuleIsSymmetric() {
        assertThat(StoppingRule.leaderStays(5, 5)).isCloseTo(0.5, within(1e-12));
        assertThat(StoppingRule.leaderStays(2.7, 2.7)).isCloseTo(0.5, within(1e-12));
        for (double a = 0; a < 10; a += 0.7) {
            for (double b = 0; b < 10; b += 1.3) {
                assertThat(StoppingRule.leaderStays(a, b) + StoppingRule.leaderStays(b, a)).isCloseTo(1, within(1e-10));
            }
        }
    }

    @Test
    void fractionalMassesFallBetweenTheirWholeNeighboursAndGrowWithTheLead() {
        double low = StoppingRule.leaderStays(3, 1);
        double mid = StoppingRule.leaderStays(3.5, 1);
        double high = StoppingRule.leaderStays(4, 1);
        assertThat(mid).isStrictlyBetween(low, high);
        assertThat(StoppingRule.leaderStays(3, 1.5)).isStrictlyBetween(StoppingRule.leaderStays(3, 2), low);
        assertThat(StoppingRule.leaderStays(900.5, 700.25)).isBetween(0.0, 1.0).isGreaterThan(0.999);
    }

    @Test
    void refusesNegativeMasses() {
        assertThatThrownBy(() -> StoppingRule.leaderStays(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoppingRule.leaderStays(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lnGammaMatchesFactorials() {
        double factorial = 1;
        for (int k = 1; k <= 20; k++) {
            factorial *= k;
            assertThat(StoppingRule.lnGamma(k + 1)).isCloseTo(Math.log(factorial), within(1e-10));
        }
        assertThat(StoppingRule.lnGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
    }
}
