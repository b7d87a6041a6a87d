package dev.verigen.contracts.simulation;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PlausibleErrorsTest {

    @Test
    void wrongResultsAreNeverTheCorrectOneAndStayNearIt() {
        SplittableRandom random = new SplittableRandom(7);
        char[] ops = {'+', '-', '*'};
        for (int i = 0; i < 20_000; i++) {
            long l = random.nextLong(-1000, 1000);
            long r = random.nextLong(-1000, 1000);
            char op = ops[random.nextInt(3)];
            long correct = ArithmeticOracle.apply(l, op, r);
            long wrong = PlausibleErrors.wrong(l, op, r, correct, random);
            assertThat(wrong).as("%d %s %d", l, op, r).isNotEqualTo(correct);
        }
    }

    @Test
    void usesSeveralKindsOfSlip() {
        SplittableRandom random = new SplittableRandom(1);
        Set<Long> wrongs = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            wrongs.add(PlausibleErrors.wrong(48, '+', 37, 85, random));
        }
        // off by one/ten, swapped 58, dropped 8/5, no-carry 75, wrong operator 11/1776
        assertThat(wrongs).contains(84L, 86L, 75L, 95L, 58L, 11L, 1776L).doesNotContain(85L);
    }
}
