package dev.verigen.worker.sim;

import dev.verigen.contracts.simulation.ArithmeticOracle.Solution;
import dev.verigen.contracts.simulation.ArithmeticOracle.Step;
import dev.verigen.contracts.simulation.PlausibleErrors;
import dev.verigen.contracts.simulation.Seeds;
import dev.verigen.contracts.simulation.SuiteAnswers;
import dev.verigen.contracts.simulation.TaskTruth;
import dev.verigen.contracts.simulation.TaskTruth.Misconception;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The simulator's "knowledge": what a sample says for a task. A sample is correct with the task's latent solve rate
 * (shifted by the sampling temperature, {@link SimProperties.Realism}); a wrong one either falls into one of the
 * task's misconceptions ({@link TaskTruth}: the same wrong answer other samples state) or makes a fresh plausible
 * slip in some step, and carries it through, so its answer is never the true one. Wrong samples also hesitate more
 * ("let me double-check" lines), so they are longer. The text is synthetic, step-structured ("Step k: ..." lines,
 * then "Answer: n"), never a real model's. A task that is the prompt of a stored built-in suite item (text2sql, code)
 * is answered instead with the item's SIMULATED gold or plausible wrong answer ({@link SuiteAnswers}), with the same
 * solve rate and misconceptions.
 * <p>
 * For step-wise search a sample can instead continue a partial solution ({@link #continuation}): each remaining
 * step is right with probability p^(1/m) for m operation steps, so a chain extended one step at a time is still
 * solved with probability p, while picking a right step among several samples raises it.
 */
public final class TaskModel {

    /** Separates steps, so step-wise search can stop at a step boundary. */
    public static final String STEP_DELIMITER = "\n";

    private static final String IDENTIFY = "Identify the quantity the question asks for.";
    private static final List<String> CHECKS = List.of("Let me double-check that.",
            "Wait, let me verify the previous step.", "Checking that result once more.");

    private final SolveRates solveRates;
    private final SimProperties.Realism realism;

    public TaskModel(SimProperties.SolveRate solveRate) {
        this(solveRate, SimProperties.Realism.DEFAULT);
    }

    public TaskModel(SimProperties.SolveRate solveRate, SimProperties.Realism realism) {
        this.solveRates = new SolveRates(solveRate);
        this.realism = realism;
    }

    /**
     * @param correct       whether the answer equals the reference answer
     * @param answer        the final answer the text states
     * @param misconception the task's misconception the sample fell into; null when right or a fresh slip
     */
    public record Draft(String text, boolean correct, long answer, Misconception misconception) {
        public Draft(String text, boolean correct, long answer) {
            this(text, correct, answer, null);
        }
    }

    /** The built-in suite items this model answers with their stored answers. */
    public SuiteAnswers suites() {
        return SuiteAnswers.builtIn();
    }

    public SimProperties.Realism realism() {
        return realism;
    }

    /** The task's latent solve rate: a sample's at the reference temperature. */
    public double solveRate(String task) {
        return solveRates.of(task);
    }

    /** A sample's solve rate at {@code temperature}. */
    public double solveRate(String task, double temperature) {
        return realism.solveRate(solveRate(task), temperature);
    }

    /** The answer a correct sample gives: the oracle's, or for tasks it cannot read a made-up number stable per task. */
    public long reference(String task) {
        return TaskTruth.of(task).numericAnswer();
    }

    /** A sample at the reference temperature. */
    public Draft draft(String task, SplittableRandom random) {
        return draft(task, SimProperties.Realism.REFERENCE_TEMPERATURE, random);
    }

    /** The sample drawn by {@code random} at {@code temperature}; the same random state always gives the same draft. */
    public Draft draft(String task, double temperature, SplittableRandom random) {
        boolean correct = random.nextDouble() < solveRate(task, temperature);
        TaskTruth truth = TaskTruth.of(task);
        Misconception misconception = !correct && !truth.misconceptions().isEmpty()
                && random.nextDouble() < realism.errorConcentration() ? truth.drawMisconception(random) : null;
        Optional<SuiteAnswers.Known> known = truth.suiteItem();
        if (known.isPresent()) {
            return suiteDraft(known.get(), correct, misconception, random);
        }
        Optional<Solution> solution = truth.solution();
        return solution.isPresent()
                ? worked(solution.get(), correct, misconception, random)
                : unreadable(truth.numericAnswer(), correct, misconception, random);
    }

    private Draft suiteDraft(SuiteAnswers.Known known, boolean correct, Misconception misconception,
                             SplittableRandom random) {
        List<String> wrong = known.answers().wrong();
        String body = correct ? known.answers().gold()
                : misconception != null ? misconception.answer() : wrong.get(random.nextInt(wrong.size()));
        return new Draft(suites().render(known, body, random), correct, 0, misconception);
    }

    private Draft worked(Solution solution, boolean correct, Misconception misconception, SplittableRandom random) {
        List<Step> steps;
        if (correct) {
            steps = solution.steps();
        } else if (misconception != null) {
            var slip = misconception.slip();
            steps = solution.replay((i, l, op, r, right) -> i == slip.step() ? slip.result() : right);
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
        List<String> lines = new ArrayList<>();
        lines.add("We need to compute " + solution.expression() + ".");
        for (Step step : steps) {
            lines.add(phrase(step, random));
        }
        addChecks(lines, correct, random);
        return new Draft(numbered(lines, answer), answer == solution.answer(), answer, misconception);
    }

    private Draft unreadable(long reference, boolean correct, Misconception misconception, SplittableRandom random) {
        long answer = correct ? reference
                : misconception != null ? Long.parseLong(misconception.answer())
                : PlausibleErrors.wrong(reference, random);
        List<String> lines = new ArrayList<>(List.of(IDENTIFY, workedOut(answer)));
        addChecks(lines, correct, random);
        return new Draft(numbered(lines, answer), correct, answer, misconception);
    }

    /** Hesitation: "double-check" lines after random steps, more of them in wrong reasoning. */
    private void addChecks(List<String> lines, boolean correct, SplittableRandom random) {
        int checks = poisson(correct ? realism.checksWhenRight() : realism.checksWhenWrong(), random);
        for (int i = 0; i < checks; i++) {
            lines.add(1 + random.nextInt(lines.size()), CHECKS.get(random.nextInt(CHECKS.size())));
        }
    }

    private static String numbered(List<String> lines, long answer) {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            text.append("Step ").append(k + 1).append(": ").append(lines.get(k)).append(STEP_DELIMITER);
        }
        return text.append("Answer: ").append(answer).toString();
    }

    private static int poisson(double mean, SplittableRandom random) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit && k < 64) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /**
     * What a sample adds to {@code partial}, a partial solution in this format (see {@link PartialSolution}); the
     * same random state always gives the same continuation. The partial's stated results are replayed as written,
     * so a partial that already slipped carries its wrong value on and ends wrong. Empty once the partial answered.
     */
    Continuation continuation(String task, String partial, SplittableRandom random) {
        return continuation(task, partial, SimProperties.Realism.REFERENCE_TEMPERATURE, random);
    }

    /** As {@link #continuation(String, String, SplittableRandom)}, each step's odds shifted by the temperature. */
    Continuation continuation(String task, String partial, double temperature, SplittableRandom random) {
        PartialSolution stated = PartialSolution.parse(partial);
        long reference = reference(task);
        var out = new Continuation.Builder(stated.nextStep(), !stated.endsLine());
        if (stated.answered()) {
            return new Continuation("", List.of(),
                    stated.answer().isPresent() && stated.answer().getAsLong() == reference);
        }
        TaskTruth truth = TaskTruth.of(task);
        Optional<Solution> solution = truth.solution();
        double p = solveRate(task, temperature);
        return solution.isPresent()
                ? continueWorked(solution.get(), p, truth, stated, out, random)
                : continueUnreadable(reference, p, stated, out, random);
    }

    private Continuation continueWorked(Solution solution, double p, TaskTruth truth, PartialSolution stated,
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
                        : random.nextDouble() < q ? right : slip(truth, i, l, op, r, right, random);
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

    /**
     * A wrong step: the task's misconception at this operation when it has one there (as often as wrong whole samples
     * fall into misconceptions), else a fresh slip.
     */
    private long slip(TaskTruth truth, int index, long l, char op, long r, long right, SplittableRandom random) {
        if (random.nextDouble() < realism.errorConcentration()) {
            for (Misconception m : truth.misconceptions()) {
                var s = m.slip();
                if (s != null && s.step() == index && s.left() == l && s.op() == op && s.right() == r) {
                    return s.result();
                }
            }
        }
        return PlausibleErrors.wrong(l, op, r, right, random);
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
}
