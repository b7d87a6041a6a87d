package dev.verigen.worker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The simulator's partial samples on the way, and a cancel that stops the clock. */
class SimAbortTest {

    private static final String TASK = "Compute 38 + 47 * 6 - 95 + 12 * 3.";

    private final List<Duration> spent = new ArrayList<>();
    private final SimBackend sim = new SimBackend(SimProperties.defaults(), spent::add);

    private static EngineRequest request(int n, int progressTokens) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        return new EngineRequest(meta, "sim-math", TASK, TASK, new SamplingParams(0.8, 1.0, 256, 3L, List.of(), false),
                n, null, List.of(), progressTokens);
    }

    /** Records progress, and cancels on the {@code cancelAt}-th report (0: never). */
    private static final class Watch implements EngineControl {
        final List<long[]> reports = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final int cancelAt;
        boolean cancelled;

        Watch(int cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public void progress(int sample, String text, long tokens) {
            reports.add(new long[]{sample, tokens});
            texts.add(text);
            cancelled |= reports.size() == cancelAt;
        }
    }

    @Test
    void samplesReportTheirTextSoFarInTheOrderAnEngineWouldDecodeThem() {
        Watch watch = new Watch(0);
        EngineOutput out = sim.generate(request(3, 10), watch);
        assertThat(out.cancelled()).isFalse();
        // every sample passes 10, 20, ... tokens, all samples at each step before the next step (one batch)
        long expected = out.samples().stream().mapToLong(s -> (s.completionTokens() - 1) / 10).sum();
        assertThat(watch.reports).hasSize((int) expected);
        for (int i = 1; i < watch.reports.size(); i++) {
            assertThat(watch.reports.get(i)[1]).isGreaterThanOrEqualTo(watch.reports.get(i - 1)[1]);
        }
        for (int i = 0; i < watch.reports.size(); i++) {
            Sample s = out.samples().get((int) watch.reports.get(i)[0]);
            assertThat(s.text()).startsWith(watch.texts.get(i));
            assertThat(watch.texts.get(i)).hasSize((int) watch.reports.get(i)[1] * 4);
        }
        // the same request without progress draws the same samples
        assertThat(sim.generate(request(3, 0)).samples()).isEqualTo(out.samples());
    }

    @Test
    void aCancelCutsEverySampleWhereTheDecodeWasAndBillsOnlyThat() {
        EngineOutput full = sim.generate(request(3, 0));
        Watch watch = new Watch(1);

        EngineOutput cut = sim.generate(request(3, 10), watch);

        assertThat(cut.cancelled()).isTrue();
        assertThat(cut.samples()).hasSize(3).allSatisfy(s -> {
            assertThat(s.finishReason()).isEqualTo("cancelled");
            assertThat(s.completionTokens()).isEqualTo(10);
            assertThat(s.text()).hasSize(40);
        });
        assertThat(cut.usage().completionTokens()).isEqualTo(30);
        assertThat(cut.usage().promptTokens()).isEqualTo(full.usage().promptTokens());
        assertThat(cut.usage().engineMs()).isLessThan(full.usage().engineMs());
        assertThat(full.usage().completionTokens()).isGreaterThan(100);
    }

    @Test
    void aJobCancelledBeforeItRunsSpendsNoDecodeTime() {
        Watch watch = new Watch(0);
        watch.cancelled = true;
        EngineOutput out = sim.generate(request(2, 0), watch);
        assertThat(out.cancelled()).isTrue();
        assertThat(out.usage().completionTokens()).isZero();
        assertThat(out.samples()).allSatisfy(s -> assertThat(s.text()).isEmpty());
    }
}
