package dev.verigen.bench.strategies;

import dev.verigen.worker.sim.ArithmeticOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulator task suite: integer arithmetic questions of 2 to 6 operations. Their latent difficulty is the
 * simulator's (a per-task solve rate drawn from a Beta distribution), so the suite mixes easy and hard prompts.
 */
public final class SimMathSuite {

    public record Task(String id, String prompt, String reference) {
    }

    private static final char[] OPS = {'+', '-', '*'};

    private SimMathSuite() {
    }

    public static List<Task> tasks(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ArithmeticOracle oracle = new ArithmeticOracle();
        List<Task> tasks = new ArrayList<>(count);
        while (tasks.size() < count) {
            int ops = 2 + random.nextInt(5);
            StringBuilder expr = new StringBuilder().append(2 + random.nextInt(98));
            for (int i = 0; i < ops; i++) {
                char op = OPS[random.nextInt(OPS.length)];
                expr.append(' ').append(op).append(' ').append(op == '*' ? 2 + random.nextInt(11) : 2 + random.nextInt(98));
            }
            String prompt = "Compute " + expr + ".";
            var solution = oracle.solve(prompt);
            if (solution.isPresent()) {
                tasks.add(new Task("sim-math-" + tasks.size(), prompt, Long.toString(solution.get().answer())));
            }
        }
        return tasks;
    }
}
