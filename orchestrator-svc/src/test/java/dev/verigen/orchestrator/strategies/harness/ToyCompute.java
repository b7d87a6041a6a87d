package dev.verigen.orchestrator.strategies.harness;

import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.ModelSize;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import java.util.Map;

/** Model sizes of the toy pools, for runs under a FLOPs cap: {@code toy-big} costs several times {@code toy}. */
public final class ToyCompute {

    public static final ComputeEstimator ESTIMATOR = new ComputeEstimator(Map.of(
            "toy", new ModelSize(1e9, 16, 512, 2),
            "toy-big", new ModelSize(8e9, 32, 1024, 2)),
            new ModelSize(70e9, 80, 1024, 2), 295, null);

    private ToyCompute() {
    }

    /** What one sample of the run's model reserves in FLOPs, whole FLOPs as the engine books them. */
    public static double oneSample(PipelineSpec spec, String prompt) {
        return Math.ceil(Costs.generationFlops(ESTIMATOR.forRun(spec.model()), null, prompt, 1,
                spec.sampling().maxTokens()));
    }

    /**
     * A FLOPs cap for some seeds (null for the others): from exactly one sample's worth up to about a dozen
     * samples'.
     */
    public static Double cap(long seed, PipelineSpec spec, String prompt) {
        if (seed % 3 != 1) {
            return null;
        }
        double one = oneSample(spec, prompt);
        return seed % 9 == 1 ? one : Math.floor(one * (1 + (seed * 37 % 101) / 9.0));
    }
}
