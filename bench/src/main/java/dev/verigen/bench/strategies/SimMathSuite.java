package dev.verigen.bench.strategies;

import dev.verigen.contracts.suites.BuiltInSuites;
import java.util.List;

/**
 * The simulator task suite: integer arithmetic questions of 2 to 6 operations. Their latent difficulty is the
 * simulator's (a per-task solve rate drawn from a Beta distribution), so the suite mixes easy and hard prompts.
 */
public final class SimMathSuite {

    private SimMathSuite() {
    }

    public static List<Task> tasks(int count, long seed) {
        return Task.of(BuiltInSuites.simMath(count, seed));
    }
}
