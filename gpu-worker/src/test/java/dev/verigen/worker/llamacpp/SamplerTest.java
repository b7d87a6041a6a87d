package dev.verigen.worker.llamacpp;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {

    private static final float[] LOGITS = {1.0f, 3.0f, 2.5f, -1.0f, 0.0f};

    @Test
    void logProbsAreANormalisedLogSoftmax() {
        double total = IntStream.range(0, LOGITS.length).mapToDouble(t -> Math.exp(Sampler.logProb(LOGITS, t))).sum();
        assertThat(total).isCloseTo(1.0, within(1e-12));
        assertThat(Sampler.logProb(LOGITS, 1) - Sampler.logProb(LOGITS, 2)).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void temperatureZeroIsArgMax() {
        assertThat(Sampler.sample(LOGITS, 0.0, 1.0, new SplittableRandom(1))).isEqualTo(1);
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        // p(1) ~ 0.53, p(2) ~ 0.32: top-p 0.6 keeps exactly tokens 1 and 2
        SplittableRandom random = new SplittableRandom(3);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < 4000; i++) {
            counts[Sampler.sample(LOGITS, 1.0, 0.6, random)]++;
        }
        assertThat(counts[0] + counts[3] + counts[4]).isZero();
        // renormalised within the nucleus: 1 / (1 + e^-0.5) ~ 0.62
        assertThat(counts[1] / 4000.0).isCloseTo(1 / (1 + Math.exp(-0.5)), within(0.03));
    }

    @Test
    void fullDistributionMatchesSoftmaxFrequencies() {
        SplittableRandom random = new SplittableRandom(5);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < 20000; i++) {
            counts[Sampler.sample(LOGITS, 1.0, 1.0, random)]++;
        }
        for (int t = 0; t < LOGITS.length; t++) {
            assertThat(counts[t] / 20000.0).as("token %d", t).isCloseTo(Math.exp(Sampler.logProb(LOGITS, t)), within(0.015));
        }
    }
}
