package dev.verigen.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.verigen.bench.strategies.ScalingCurvesBench.Curve;
import dev.verigen.bench.strategies.ScalingCurvesBench.Point;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Config;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Result;
import dev.verigen.bench.strategies.StrategyAccuracyBench.Target;
import dev.verigen.orchestrator.strategies.BestOfN;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The curves sweep's settings and its frontier arithmetic (no timings). */
class ScalingCurvesBenchTest {

    private static final Curve CURVE = new Curve("c", "note", List.of());

    private static Point point(double accuracy, long tokens, int failed) {
        var config = new Config("p" + tokens, BestOfN::new, "best_of_n", 1, null, null);
        return new Point(CURVE, new Result(config, 100, (int) Math.round(accuracy * 100), failed, tokens * 100, 0, 0));
    }

    @Test
    void everySettingIsAPipelineTheApiWouldAccept() {
        for (Curve curve : ScalingCurvesBench.curves()) {
            assertThat(curve.settings()).as(curve.name()).isNotEmpty();
            for (Config config : curve.settings()) {
                assertThatCode(() -> StrategyAccuracyBench.spec(config.strategy().get(), config, Target.SIM_MATH, 1))
                        .as(curve.name() + " " + config.label()).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void theFrontierKeepsOnlyPointsNoCheaperPointMatches() {
        var cheap = point(0.5, 50, 0);
        var dominated = point(0.45, 80, 0);
        var better = point(0.8, 100, 0);
        var failedOnBudget = point(0.9, 120, 3);
        var best = point(0.95, 400, 0);
        assertThat(ScalingCurvesBench.frontier(List.of(best, dominated, failedOnBudget, better, cheap)))
                .containsExactly(cheap, better, best);
        assertThat(ScalingCurvesBench.tokensToReach(List.of(cheap, better, best), 0.8)).isEqualTo(100.0);
        assertThat(ScalingCurvesBench.tokensToReach(List.of(cheap, better, best), 0.99)).isNull();
    }

    @Test
    void aSettingMeasuresOnTheSimulator() {
        var tasks = SimMathSuite.tasks(10, 7);
        var one = ScalingCurvesBench.curves().getFirst().settings().get(2); // best_of_n N=4
        Result r = StrategyAccuracyBench.measure(one, tasks, 7, 40_000L, new SimWorkers(7));
        assertThat(r.tasks()).isEqualTo(10);
        assertThat(r.failed()).isZero();
        assertThat(r.tokensPerTask()).isGreaterThan(4 * 20);
    }
}
