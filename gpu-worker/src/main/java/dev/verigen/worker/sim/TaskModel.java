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
 * A task that is the prompt of a stored built-in suite item (text2sql, code) is answered instead with the item's
 * SIMULATED gold or plausible wrong answer ({@link SimulatedSuiteAnswers}), with the same latent solve rate.
 * <p>
 * For step-wise search a sample can instead continue a partial solution ({@link #continuation}): each remaining
 * step is right with probability p^(1/m) for m operation steps, so a chain extended one step at a time is still
 * solved with probability p, while picking a right step among several samples raises it.
 */
public final class TaskModel {

    /** Separates steps, so step-wise search can stop at a step boundary. */
    public static final String STEP_DELIMITER = "\n";

    private static final String IDENTIFY = "Identify the quantity the question asks for.";

    private final ArithmeticOracle oracle = new ArithmeticOracle();
    private final SimulatedSuiteAnswers suites = SimulatedSuiteAnswers.builtIn();
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

    /** The built-in suite items this model answers with their stored answers. */
    public SimulatedSuiteAnswers suites() {
        return suites;
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
        Optional<SimulatedSuiteAnswers.Known> known = suites.find(task);
        if (known.isPresent()) {
            return suites.draft(known.get(), correct, random);
        }
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
        String text = "Step 1: " + IDENTIFY + STEP_DELIMITER
                + "Step 2: " + workedOut(answer) + STEP_DELIMITER
                + "Answer: " + answer;
        return new Draft(text, correct, answer);
    }

    /**
     * What a sample adds to {@code partial}, a partial solution in this format (see {@link PartialSolution}); the
     * same random state always gives the same continuation. The partial's stated results are replayed as written,
     * so a partial that already slipped carries its wrong value on and ends wrong. Empty once the partial answered.
     */
    Continuation continuation(String task, String partial, SplittableRandom random) {
        PartialSolution stated = PartialSolution.parse(partial);
        long reference = reference(task);
        var out = new Continuation.Builder(stated.nextStep(), !stated.endsLine());
        if (stated.answered()) {
            return new Continuation("", List.of(),
                    stated.answer().isPresent() && stated.answer().getAsLong() == reference);
        }
        Optional<Solution> solution = oracle.solve(task);
        return solution.isPresent()
                ? continueWorked(solution.get(), solveRate(task), stated, out, random)
                : continueUnreadable(reference, solveRate(task), stated, out, random);
    }

    private static Continuation continueWorked(Solution solution, double p, PartialSolution stated,
                                               Continuation.Builder out, SplittableRandom random) {
        int m = solution.steps().size();
        // per-step success so that a chain of m independent steps is right with the task's solve rate p
        double q = Math.pow(p, 1.0 / m);
        List<Long> forced = stated.results();
        boolean[] slipped = new boolean[m];
        List<Step> steps;
        try {
            steps = solution.replay((i, l, op, r, right) -> {
                long result = i < forced.size() ? forced.get(i)
                        : random.nextDouble() < q ? right : PlausibleErrors.wrong(l, op, r, right, random);
                slipped[i] = result != right;
                return result;
            });
        } catch (ArithmeticException overflow) {
            // stated values so far off that carrying them on overflows a long: answer with the last one
            long answer = forced.isEmpty() ? PlausibleErrors.wrong(solution.answer(), random) : forced.getLast();
            return out.answer(answer, false).build(false);
        }
        boolean onTrack = true;
        for (int i = 0; i < Math.min(forced.size(), m); i++) {
            onTrack &= !slipped[i];
        }
        boolean partialOnTrack = onTrack;
        if (!stated.introduced() && forced.isEmpty()) {
            out.step(PartialSolution.INTRO + " " + solution.expression() + ".", onTrack);
        }
        for (int i = forced.size(); i < m; i++) {
            onTrack &= !slipped[i];
            out.step(phrase(steps.get(i), random), onTrack);
        }
        // a partial that stated more operations than the task has: its last statement is what it arrived at
        long answer = forced.size() > m ? forced.getLast() : steps.getLast().result();
        if (!onTrack && answer == solution.answer()) {
            // as in whole drafts, a slipped solution never states the true answer (e.g. a later "times 0")
            answer = PlausibleErrors.wrong(answer, random);
        }
        return out.answer(answer, onTrack && answer == solution.answer()).build(partialOnTrack);
    }

    private static Continuation continueUnreadable(long reference, double p, PartialSolution stated,
                                                   Continuation.Builder out, SplittableRandom random) {
        if (!stated.results().isEmpty()) {
            // the template's only number is its worked-out value: the partial has stated it, so answer with it
            long answer = stated.results().getLast();
            return out.answer(answer, answer == reference).build(answer == reference);
        }
        if (stated.lines() == 0) {
            out.step(IDENTIFY, true);
        }
        long answer = random.nextDouble() < p ? reference : PlausibleErrors.wrong(reference, random);
        return out.step(workedOut(answer), answer == reference)
                .answer(answer, answer == reference)
                .build(true);
    }

    private static String workedOut(long answer) {
        return "Work it out from the given facts: " + answer + ".";
    }

    static String phrase(Step step, SplittableRandom random) {
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
