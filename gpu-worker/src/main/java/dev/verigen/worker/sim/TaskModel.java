package dev.verigen.worker.sim;

import dev.verigen.worker.sim.ArithmeticOracle.Solution;
import dev.verigen.worker.sim.ArithmeticOracle.Step;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The simulator's "knowledge": what a sample says for a task. A sample is correct with the task's latent solve
 * rate; a wrong one makes one plausible slip in some step and carries it through, so its answer is never the
 * true one. The text is synthetic, step-structured ("Step k: ..." lines, then "Answer: n"), never a real model's.
 */
public final class TaskModel {

    /** Separates steps, so step-wise search can stop at a step boundary. */
    public static final String STEP_DELIMITER = "\n";

    private final ArithmeticOracle oracle = new ArithmeticOracle();
    private final SolveRates solveRates;

    public TaskModel(SimProperties.SolveRate solveRate) {
        this.solveRates = new SolveRates(solveRate);
    }

    /**
     * @param correct whether the answer equals the reference answer
     * @param answer  the final answer the text states
     */
    public record Draft(String text, boolean correct, long answer) {
    }

    public double solveRate(String task) {
        return solveRates.of(task);
    }

    /** The answer a correct sample gives: the oracle's, or for tasks it cannot read a made-up number stable per task. */
    public long reference(String task) {
        return oracle.solve(task).map(Solution::answer).orElseGet(() -> madeUp(task));
    }

    /** The sample drawn by {@code random}; the same random state always gives the same draft. */
    public Draft draft(String task, SplittableRandom random) {
        boolean correct = random.nextDouble() < solveRate(task);
        Optional<Solution> solution = oracle.solve(task);
        return solution.isPresent()
                ? worked(solution.get(), correct, random)
                : unreadable(madeUp(task), correct, random);
    }

    private Draft worked(Solution solution, boolean correct, SplittableRandom random) {
        List<Step> steps;
        if (correct) {
            steps = solution.steps();
        } else {
            int slipAt = random.nextInt(solution.steps().size());
            steps = solution.replay((i, l, op, r, right) ->
                    i == slipAt ? PlausibleErrors.wrong(l, op, r, right, random) : right);
        }
        long answer = steps.getLast().result();
        if (!correct && answer == solution.answer()) {
            // a later step cancelled the slip (e.g. times 0); slip when writing the answer instead
            answer = PlausibleErrors.wrong(solution.answer(), random);
        }
        StringBuilder text = new StringBuilder();
        int k = 1;
        text.append("Step ").append(k++).append(": We need to compute ").append(solution.expression()).append('.');
        for (Step step : steps) {
            text.append(STEP_DELIMITER).append("Step ").append(k++).append(": ").append(phrase(step, random));
        }
        text.append(STEP_DELIMITER).append("Answer: ").append(answer);
        return new Draft(text.toString(), answer == solution.answer(), answer);
    }

    private static Draft unreadable(long reference, boolean correct, SplittableRandom random) {
        long answer = correct ? reference : PlausibleErrors.wrong(reference, random);
        String text = "Step 1: Identify the quantity the question asks for." + STEP_DELIMITER
                + "Step 2: Work it out from the given facts: " + answer + "." + STEP_DELIMITER
                + "Answer: " + answer;
        return new Draft(text, correct, answer);
    }

    private static String phrase(Step step, SplittableRandom random) {
        String op = switch (step.op()) {
            case '+' -> "+";
            case '-' -> "-";
            default -> "*";
        };
        String l = signed(step.left());
        String r = signed(step.right());
        // a little surface variety, as samples of one model would have
        return switch (random.nextInt(3)) {
            case 0 -> l + " " + op + " " + r + " = " + step.result() + ".";
            case 1 -> verb(step.op()) + " " + l + " and " + r + " to get " + step.result() + ".";
            default -> "Then " + l + " " + op + " " + r + " gives " + step.result() + ".";
        };
    }

    private static String verb(char op) {
        return switch (op) {
            case '+' -> "Add";
            case '-' -> "Take the difference of";
            default -> "Multiply";
        };
    }

    private static String signed(long v) {
        return v < 0 ? "(" + v + ")" : Long.toString(v);
    }

    private static long madeUp(String task) {
        return 10 + Math.floorMod(Seeds.mix(Seeds.hash(task), 0x3adeL), 990);
    }
}
