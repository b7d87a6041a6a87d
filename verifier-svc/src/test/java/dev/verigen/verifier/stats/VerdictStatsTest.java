package dev.verigen.verifier.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class VerdictStatsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final VerdictStats stats = new VerdictStats(meters);

    @Test
    void nothingRecordedHasZerosAndNoRates() {
        var s = stats.snapshot("numeric");
        assertThat(s.passes() + s.fails() + s.errors() + s.labelled()).isZero();
        assertThat(s.falsePositiveRate()).isNull();
        assertThat(s.falseNegativeRate()).isNull();
        assertThat(s.precision()).isNull();
    }

    @Test
    void verdictsAgainstLabels() {
        stats.record("numeric", Outcome.PASS, Label.CORRECT);   // true positive
        stats.record("numeric", Outcome.PASS, Label.CORRECT);   // true positive
        stats.record("numeric", Outcome.PASS, Label.INCORRECT); // false positive
        stats.record("numeric", Outcome.FAIL, Label.INCORRECT); // true negative
        stats.record("numeric", Outcome.FAIL, Label.INCORRECT); // true negative
        stats.record("numeric", Outcome.FAIL, Label.INCORRECT); // true negative
        stats.record("numeric", Outcome.FAIL, Label.CORRECT);   // false negative
        stats.record("numeric", Outcome.ERROR, Label.CORRECT);  // decides nothing
        stats.record("numeric", Outcome.PASS, null);            // unlabelled
        stats.record("exact", Outcome.PASS, Label.INCORRECT);   // another type

        var s = stats.snapshot("numeric");
        assertThat(s.passes()).isEqualTo(4);
        assertThat(s.fails()).isEqualTo(4);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.labelled()).isEqualTo(8);
        assertThat(s.truePositives()).isEqualTo(2);
        assertThat(s.falsePositives()).isEqualTo(1);
        assertThat(s.trueNegatives()).isEqualTo(3);
        assertThat(s.falseNegatives()).isEqualTo(1);
        assertThat(s.labelledErrors()).isEqualTo(1);
        assertThat(s.falsePositiveRate()).isEqualTo(0.25);          // 1 of 4 incorrect candidates passed
        assertThat(s.falseNegativeRate()).isEqualTo(1.0 / 3);       // 1 of 3 decided correct candidates failed
        assertThat(s.precision()).isEqualTo(2.0 / 3);               // 2 of 3 labelled passes were right

        assertThat(stats.snapshot("exact").falsePositiveRate()).isEqualTo(1.0);
        assertThat(meters.counter("verigen.verifier.false.positives", "verifier", "numeric").count()).isEqualTo(1);
        assertThat(meters.counter("verigen.verifier.false.negatives", "verifier", "numeric").count()).isEqualTo(1);
        assertThat(meters.counter("verigen.verifier.labelled", "verifier", "numeric", "label", "incorrect", "outcome", "FAIL").count())
                .isEqualTo(3);
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        int threads = 8;
        int each = 2_000;
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        stats.record("numeric", Outcome.PASS, Label.INCORRECT);
                    }
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        var s = stats.snapshot("numeric");
        assertThat(s.passes()).isEqualTo(threads * each);
        assertThat(s.falsePositives()).isEqualTo(threads * each);
        assertThat(s.labelled()).isEqualTo(threads * each);
    }
}
