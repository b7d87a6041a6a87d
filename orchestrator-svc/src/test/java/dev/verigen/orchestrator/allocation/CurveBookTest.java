package dev.verigen.orchestrator.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CurveBookTest {

    private static final int[] SIZES = {4, 8, 16, 32, 64};

    private static double truth(int n) {
        return 0.95 - 0.6 * Math.pow(4.0 / n, 0.8);
    }

    private static Features features(int samples, double agreement) {
        return new Features(samples, agreement, agreement, 0.5, 0.5, 0.5, null);
    }

    /** Observations of one kind of item drawn from a known saturating curve. */
    private static List<Observation> synthetic(long seed, int perSize) {
        var random = new SplittableRandom(seed);
        List<Observation> obs = new ArrayList<>();
        for (int n : SIZES) {
            for (int i = 0; i < perSize; i++) {
                obs.add(new Observation("vote", features(4, 0.5), n, n * 50.0, random.nextDouble() < truth(n), null));
            }
        }
        return obs;
    }

    @Test
    void fittingRecoversASyntheticCurveMonotone() {
        CurveBook book = CurveBook.fit("sim-math", "synthetic", "vote", 1.0, 1, synthetic(3, 4000));
        var curve = book.curve("vote", 4, 1).orElseThrow();
        assertThat(curve.points()).extracting(CurveBook.Point::size).containsExactly(4, 8, 16, 32, 64);
        double previous = 0;
        for (CurveBook.Point p : curve.points()) {
            assertThat(p.accuracy()).isCloseTo(truth(p.size()), within(0.025)).isGreaterThanOrEqualTo(previous);
            assertThat(p.tokens()).isEqualTo(p.size() * 50.0);
            previous = p.accuracy();
        }
        assertThat(curve.ceiling()).isEqualTo(curve.points().getLast().accuracy());
        assertThat(book.sampleTokens()).isEqualTo(50.0);
        // between points: linear in log size
        double mid = curve.accuracy(Math.sqrt(8 * 16));
        assertThat(mid).isCloseTo((curve.accuracy(8) + curve.accuracy(16)) / 2, within(1e-9));
    }

    @Test
    void aDipInTheObservationsIsPooledAway() {
        double[] fitted = CurveFit.isotonic(new double[]{0.5, 0.7, 0.6, 0.9}, new double[]{1, 1, 1, 1});
        assertThat(fitted).containsExactly(new double[]{0.5, 0.65, 0.65, 0.9}, within(1e-12));
    }

    @Test
    void theDifficultyScoreSeparatesAgreeingPilotsFromSplitOnes() {
        var random = new SplittableRandom(11);
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            boolean agrees = i % 2 == 0;
            Features f = features(4, agrees ? 1.0 : 0.25);
            double p4 = agrees ? 0.95 : 0.3;
            obs.add(new Observation("vote", f, 4, 200, random.nextDouble() < p4, agrees ? 0.8 : 0.15));
            obs.add(new Observation("vote", f, 16, 800, random.nextDouble() < (agrees ? 0.97 : 0.7), null));
            obs.add(new Observation("pf4", f, 4, 750, random.nextDouble() < (agrees ? 0.9 : 0.6), null));
        }
        CurveBook book = CurveBook.fit("sim-math", "synthetic", "vote", 2.0, 2, obs);
        CurveBook.Stage stage = book.stageFor(4);
        assertThat(stage.confidence(features(4, 1.0))).isCloseTo(0.95, within(0.02));
        assertThat(stage.confidence(features(4, 0.25))).isCloseTo(0.3, within(0.03));
        assertThat(stage.bin(features(4, 1.0))).isEqualTo(1);
        assertThat(stage.bin(features(4, 0.25))).isEqualTo(2);
        assertThat(stage.solveRate(1)).isCloseTo(0.8, within(1e-9));
        assertThat(stage.solveRate(2)).isCloseTo(0.15, within(1e-9));
        assertThat(book.curve("vote", 4, 2).orElseThrow().accuracy(16)).isCloseTo(0.7, within(0.03));
        assertThat(book.curve("pf4", 4, 2).orElseThrow().at(4).orElseThrow().accuracy()).isCloseTo(0.6, within(0.03));
        assertThat(book.voteExponent()).isEqualTo(2.0);
    }

    @Test
    void aCurveBookSurvivesJsonUnchanged() {
        CurveBook fitted = CurveBook.fit("sim-math", "synthetic", "vote", 2.0, 1, synthetic(5, 200));
        assertThat(CurveBook.fromJson(fitted.toJson())).isEqualTo(fitted);
        CurveBook prior = CurveBook.prior("sim-math", "sim-math", "vote", 4, 64, 5, 50);
        assertThat(CurveBook.fromJson(prior.toJson())).isEqualTo(prior);
        assertThat(fitted.toJson()).contains("\"voteExponent\":2.0", "\"source\":\"fitted\"");
    }

    @Test
    void thePriorIsMonotoneEasierBinsSaturateFirstAndNoSearchIsBoughtOnIt() {
        CurveBook prior = CurveBook.prior("sim-math", "sim-math", "vote", 4, 64, 5, 50);
        assertThat(prior.stages()).extracting(CurveBook.Stage::samples).containsExactly(4, 8, 16, 32);
        for (CurveBook.Curve c : prior.curves()) {
            assertThat(c.strategy()).isEqualTo("vote");
            for (int i = 1; i < c.points().size(); i++) {
                assertThat(c.points().get(i).accuracy()).isGreaterThanOrEqualTo(c.points().get(i - 1).accuracy());
            }
        }
        double easyGain = prior.curve("vote", 4, 1).orElseThrow().accuracy(8) - prior.curve("vote", 4, 1)
                .orElseThrow().accuracy(4);
        double hardAt4 = prior.curve("vote", 4, 5).orElseThrow().accuracy(4);
        assertThat(hardAt4).isLessThan(prior.curve("vote", 4, 1).orElseThrow().accuracy(4));
        assertThat(easyGain).isPositive();
        var allocator = new ComputeOptimal(Fixtures.options(), prior);
        var state = new BatchState(List.of("x"), 100_000, List.of(Fixtures.hardPilot("x")), List.of());
        assertThat(allocator.next(state)).singleElement().extracting(Purchase::arm).isEqualTo("vote");
    }
}
