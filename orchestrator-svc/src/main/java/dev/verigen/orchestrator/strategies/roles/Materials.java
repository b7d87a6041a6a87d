package dev.verigen.orchestrator.strategies.roles;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.List;
import java.util.Locale;

/**
 * The material (the job's prompt) of role generations. generator-svc puts each role's instruction in front
 * (RoleTemplates), so a material only lays out the task and what to work on. Every layout starts with
 * {@code "Task:\n<task>"}: the task comes first so that a model, and the simulator's arithmetic oracle, read the
 * task before anything quoted after it. Critiques and judgements use reward-model-svc's judge layout
 * ({@code "Task:\n<task>\n\nAnswer to judge:\n<answer>"}), which the simulator answers with verdicts.
 */
public final class Materials {

    static final String TASK = "Task:\n";
    static final String ANSWER_TO_JUDGE = "\n\nAnswer to judge:\n";

    private Materials() {
    }

    /** For CRITIQUE and JUDGE: the task and the one answer to check. */
    public static String judge(String task, String answer) {
        return TASK + task + ANSWER_TO_JUDGE + answer;
    }

    /** For REFINE: the task, the previous answer and what is known to be wrong with it. */
    public static String refine(String task, String previous, String feedback) {
        return TASK + task + "\n\nPrevious answer:\n" + previous + "\n\nFeedback:\n" + feedback;
    }

    /**
     * What the run's verifier and reward model said of an answer, and a reviewer's critique when there is one.
     * The reference answer never appears: feedback must not leak what the verifier checks against.
     */
    public static String feedback(RunState.Candidate answer, String critique) {
        StringBuilder out = new StringBuilder();
        if (answer.verdict() != null) {
            out.append(switch (answer.verdict()) {
                case PASS -> "Verifier: the answer was checked and is correct.";
                case FAIL -> "Verifier: the answer was checked and is wrong"
                        + (answer.extracted() == null || answer.extracted().isBlank()
                        ? " (no final answer could be read)."
                        : " (its final answer reads as " + answer.extracted() + ").");
                case ERROR -> "Verifier: the answer could not be checked.";
            }).append('\n');
        }
        if (answer.score() != null) {
            out.append(String.format(Locale.ROOT, "Reward model score: %.3f (higher is better).", answer.score()))
                    .append('\n');
        }
        if (critique != null && !critique.isBlank()) {
            out.append("Reviewer's critique:\n").append(critique.strip()).append('\n');
        }
        if (out.isEmpty()) {
            out.append("No verifier or reward model judged this answer; check every step.\n");
        } else if (answer.verdict() != Verdict.Outcome.PASS) {
            out.append("Find the mistake and correct it.\n");
        }
        return out.toString().stripTrailing();
    }

    /**
     * For FUSE and RANK: the task and the numbered candidates (numbered from 1, as rankings name them), each
     * followed by its critique when {@code critiques} has one at that position.
     */
    public static String candidates(String task, List<String> texts, List<String> critiques) {
        StringBuilder out = new StringBuilder(TASK).append(task);
        for (int i = 0; i < texts.size(); i++) {
            out.append("\n\nCandidate ").append(i + 1).append(":\n").append(texts.get(i));
            String critique = critiques == null || i >= critiques.size() ? null : critiques.get(i);
            if (critique != null && !critique.isBlank()) {
                out.append("\n\nCritique of candidate ").append(i + 1).append(":\n").append(critique.strip());
            }
        }
        return out.toString();
    }

    /** For a GENERATE job that writes unit tests instead of solving (its template leaves the material as is). */
    public static String unitTests(String task, int count) {
        return TASK + task + "\n\nDo not solve the task. Write " + count + " unit tests that any correct answer to "
                + "the task above must pass. Write each test on its own line, starting with \"Test:\".";
    }

    /**
     * For a JUDGE job that checks an answer against unit tests. The tests come before the task so that the judge
     * layout (task, then the answer last) stays intact.
     */
    public static String unitTestEvaluation(String task, List<String> tests, String answer) {
        StringBuilder out = new StringBuilder("Unit tests:\n");
        for (int i = 0; i < tests.size(); i++) {
            out.append("Unit Test #").append(i + 1).append(": ").append(tests.get(i)).append('\n');
        }
        out.append("\nCheck the answer below against every unit test. Write one line per test, \"Unit Test #<number>: "
                + "[Passed]\" or \"Unit Test #<number>: [Failed]\"; the verdict is correct only if every test "
                + "passes.\n\n");
        return out + judge(task, answer);
    }

    /** The task with the unit tests a response must pass, in Archon's words. */
    public static String withUnitTests(String task, List<String> tests) {
        if (tests.isEmpty()) {
            return task;
        }
        return task + " Your response should pass the following unit tests:\n- " + String.join("\n- ", tests);
    }
}
