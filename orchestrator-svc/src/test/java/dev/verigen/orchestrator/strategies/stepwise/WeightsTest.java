package dev.verigen.orchestrator.strategies.stepwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WeightsTest {

    @Test
    void softmaxIsNormalisedAndAHigherTemperatureIsFlatter() {
        double[] x = {2, 1, 0};
        double[] cold = Weights.softmax(x, 0.5);
        double[] hot = Weights.softmax(x, 5);
        assertThat(Arrays.stream(cold).sum()).isCloseTo(1, within(1e-12));
        assertThat(Arrays.stream(hot).sum()).isCloseTo(1, within(1e-12));
        assertThat(hot[0]).isLessThan(cold[0]);
        assertThat(Weights.ess(hot)).isGreaterThan(Weights.ess(cold));
    }

    @Test
    void theEffectiveSampleSizeRunsFromOneToN() {
        assertThat(Weights.ess(new double[]{0.25, 0.25, 0.25, 0.25})).isCloseTo(4, within(1e-12));
        assertThat(Weights.ess(new double[]{1, 0, 0, 0})).isCloseTo(1, within(1e-12));
    }

    @Test
    void logitsAreClippedSoCertainScoresStayFinite() {
        assertThat(Weights.logit(0.5)).isZero();
        assertThat(Weights.logit(1.0)).isFinite().isPositive();
        assertThat(Weights.logit(0.0)).isFinite().isNegative();
    }

    @Test
    void collapsedWeightsAreAnnealedByTheEntropicRule() {
        double[] scores = {0.99, 0.01, 0.01, 0.01};
        Weights.Result plain = Weights.compute(scores, 1.0, true, false, 0.5, 2, 16);
        assertThat(plain.annealed()).isFalse();
        assertThat(plain.ess()).isLessThan(2);

        Weights.Result annealed = Weights.compute(scores, 1.0, true, true, 0.5, 2, 16);
        assertThat(annealed.annealed()).isTrue();
        // T = T0 · N/ESS · (1 − t/T_max), from the ESS of the unannealed weights
        assertThat(annealed.temperature()).isCloseTo(4 / plain.ess() * (1 - 2.0 / 16), within(1e-9));
        assertThat(annealed.ess()).isGreaterThan(plain.ess());
        assertThat(annealed.weights()[0]).isLessThan(plain.weights()[0]);
    }

    @Test
    void diverseWeightsAndTheLastRoundsAreNotAnnealed() {
        double[] even = {0.6, 0.5, 0.55, 0.4};
        assertThat(Weights.compute(even, 1.0, true, true, 0.5, 1, 16).annealed()).isFalse();
        double[] collapsed = {0.99, 0.01, 0.01, 0.01};
        // at the step limit the boost has faded to nothing: exploit
        Weights.Result last = Weights.compute(collapsed, 1.0, true, true, 0.5, 16, 16);
        assertThat(last.annealed()).isFalse();
        assertThat(last.temperature()).isEqualTo(1.0);
    }

    @Test
    void rawScoresCanBeWeighedInsteadOfLogits() {
        double[] scores = {0.9, 0.1};
        double[] byScore = Weights.compute(scores, 1.0, false, false, 0.5, 1, 16).weights();
        double[] byLogit = Weights.compute(scores, 1.0, true, false, 0.5, 1, 16).weights();
        assertThat(byScore[0]).isCloseTo(Math.exp(0.9) / (Math.exp(0.9) + Math.exp(0.1)), within(1e-12));
        assertThat(byLogit[0]).isGreaterThan(byScore[0]);
    }

    @Test
    void systematicResamplingDrawsEachParticleInProportionAndIsSeeded() {
        double[] w = {0.5, 0.25, 0.25, 0};
        for (long seed = 0; seed < 50; seed++) {
            int[] picks = Weights.systematic(w, 4, seed);
            int[] counts = new int[4];
            for (int p : picks) {
                counts[p]++;
            }
            assertThat(counts).containsExactly(2, 1, 1, 0);
            assertThat(Weights.systematic(w, 4, seed)).containsExactly(picks);
        }
        double[] uneven = {0.3, 0.3, 0.4};
        int[] a = Weights.systematic(uneven, 4, 1);
        int[] b = Weights.systematic(uneven, 4, 1);
        assertThat(a).containsExactly(b).isSorted();
    }
}
