package dev.verigen.worker.sim;

import dev.verigen.contracts.simulation.Seeds;
import dev.verigen.contracts.simulation.TaskTruth;
import dev.verigen.contracts.suites.TaskKind;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIMULATED model-backed judgments, from what the task asks ({@link TaskTruth}) — no model runs here:
 * <ul>
 *   <li>a pseudo-likelihood for scoring mode (continuations): per-token log-probability around -0.08 for a
 *       continuation whose final answer is the task's, around -0.2 for a fresh wrong answer, and in between for one of
 *       the task's misconceptions (the model believes those: {@code confidentErrors} × appeal), with seeded noise;</li>
 *   <li>for a built-in suite item (text2sql, code) "the task's answer" is the item's stored gold answer;</li>
 *   <li>LLM-as-judge answers: a judge prompt ({@code "Task:\n<task>\n\nAnswer to judge:\n<answer>"}, as
 *       reward-model-svc's {@code judge} scorer writes it) is answered "Verdict: correct" or "Verdict: incorrect":
 *       right with probability {@link SimProperties.Judge#accuracy} on average, with a bias of its own per (task,
 *       answer) so that repeated verdicts about one answer agree more than independent ones would, and fooled more
 *       often by misconceptions ({@link SimProperties.Judge}).</li>
 * </ul>
 */
public final class SimJudgments {

    private static final long JUDGE_SALT = 0x7d6eL;

    static final String TASK_MARKER = "Task:\n";
    static final String ANSWER_MARKER = "\n\nAnswer to judge:\n";
    private static final Pattern ANSWER = Pattern.compile("(?i)answer\\s*(?:is)?\\s*[:：]?\\s*\\(?(-?\\d+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    private final TaskModel model;
    private final long seed;

    SimJudgments(TaskModel model, long seed) {
        this.model = model;
        this.seed = seed;
    }

    /** A judge prompt split into its task and the answer to judge. */
    record JudgePrompt(String task, String answer) {
    }

    static Optional<JudgePrompt> judgePrompt(String task) {
        int t = task.indexOf(TASK_MARKER);
        int a = task.lastIndexOf(ANSWER_MARKER);
        if (t < 0 || a < t) {
            return Optional.empty();
        }
        return Optional.of(new JudgePrompt(task.substring(t + TASK_MARKER.length(), a).strip(),
                task.substring(a + ANSWER_MARKER.length())));
    }

    /**
     * The task a role's material is about: refine, fuse and similar prompts quote it in a {@code "Task:\n…"} block
     * that ends at the first blank line; the simulated model then solves that task (its latent solve rate), as a
     * model re-solving with the candidates in view would. Other text is the task itself.
     */
    public static String underlyingTask(String material) {
        int t = material.indexOf(TASK_MARKER);
        if (t < 0) {
            return material;
        }
        int start = t + TASK_MARKER.length();
        int end = material.indexOf("\n\n", start);
        return (end < 0 ? material.substring(start) : material.substring(start, end)).strip();
    }

    /**
     * Whether {@code text}'s final answer ("Answer: n", else its last integer) is the oracle's answer to the task; for
     * a built-in suite item, whether its last code block is the item's gold answer.
     */
    public boolean correct(String task, String text) {
        var known = model.suites().find(task);
        if (known.isPresent()) {
            return model.suites().correct(known.get(), text);
        }
        return finalAnswer(text).map(a -> a == model.reference(task)).orElse(false);
    }

    static Optional<Long> finalAnswer(String text) {
        String last = null;
        Matcher m = ANSWER.matcher(text);
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            Matcher n = NUMBER.matcher(text);
            while (n.find()) {
                last = n.group();
            }
        }
        try {
            return last == null ? Optional.empty() : Optional.of(Long.parseLong(last));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The simulated log-likelihood of a continuation of {@code tokens} tokens. */
    double logprob(String task, String continuation, int tokens, SplittableRandom random) {
        boolean correct = correct(task, continuation);
        double appeal = correct ? 0 : TaskTruth.of(task).judge(continuation).appeal();
        return -tokens * perTokenCost(correct, appeal, model.realism()) * (0.5 + random.nextDouble());
    }

    /**
     * Mean negative log-probability per token: 0.08 for a right answer, 0.2 for a wrong one, a misconception in
     * between by {@code confidentErrors} × its appeal.
     */
    static double perTokenCost(boolean correct, double appeal, SimProperties.Realism realism) {
        return correct ? 0.08 : 0.2 - 0.12 * realism.confidentErrors() * appeal;
    }

    /** A judge's answer to a judge prompt: brief reasoning, then the verdict line. */
    String verdict(JudgePrompt prompt, SplittableRandom random) {
        boolean correct = correct(prompt.task(), prompt.answer());
        boolean saysCorrect = random.nextDouble() < saysCorrect(prompt, correct);
        String stated = model.suites().find(prompt.task())
                .map(k -> k.kind() == TaskKind.SQL ? "a SQL query" : "a Python function")
                .orElseGet(() -> finalAnswer(prompt.answer()).map(String::valueOf).orElse("none"));
        return "Step 1: The answer to judge states " + stated + "." + TaskModel.STEP_DELIMITER
                + "Step 2: " + (saysCorrect ? "It matches my own solution." : "It does not match my own solution.")
                + TaskModel.STEP_DELIMITER + "Verdict: " + (saysCorrect ? "correct" : "incorrect");
    }

    /**
     * The probability that the judge calls the answer correct: logit ±L (L = logit of the accuracy) plus the answer's
     * own bias (a standard normal seeded by the task and the answer, times the correlation), plus, for a misconception,
     * sharedErrors × its appeal × L.
     */
    double saysCorrect(JudgePrompt prompt, boolean correct) {
        SimProperties.Judge judge = model.realism().judge();
        double l = Math.log(judge.accuracy() / (1 - judge.accuracy()));
        double logit = correct ? l : -l;
        if (judge.correlation() > 0) {
            SplittableRandom bias = Seeds.random(seed, JUDGE_SALT, Seeds.hash(prompt.task()),
                    Seeds.hash(prompt.answer().strip()));
            logit += judge.correlation() * gaussian(bias);
        }
        if (!correct) {
            logit += judge.sharedErrors() * TaskTruth.of(prompt.task()).judge(prompt.answer()).appeal() * 2 * l;
        }
        return 1 / (1 + Math.exp(-logit));
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
