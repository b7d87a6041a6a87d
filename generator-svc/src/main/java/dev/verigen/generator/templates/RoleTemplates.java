package dev.verigen.generator.templates;

import dev.verigen.contracts.GenerationJob.Role;

/**
 * What each role asks of the model. The job's prompt is the role's material (the task, or the task with the
 * candidates to judge); the role's instruction goes first as the system part, so every job of a role shares one
 * prompt prefix and gpu-workers can reuse its cached prefill.
 */
public final class RoleTemplates {

    /** Answers end on a line of their own, which verifiers and step-wise search rely on. */
    static final String ANSWER_FORMAT = "Work step by step, one step per line, and finish with a line \"Answer: <answer>\".";

    private RoleTemplates() {
    }

    public static ChatPrompt render(Role role, String prompt) {
        return switch (role) {
            // the plain task: for arithmetic pools the simulator and verifiers read it unchanged
            case GENERATE -> new ChatPrompt(null, prompt);
            case CRITIQUE -> new ChatPrompt("You are a careful reviewer. Check the solution below step by step. "
                    + "Quote the first incorrect step, if any, and explain the mistake. "
                    + "Finish with a line \"Verdict: correct\" or \"Verdict: incorrect\".", prompt);
            case RANK -> new ChatPrompt("You are ranking candidate answers to the same task. Judge each for "
                    + "correctness first, then clarity. Finish with a line \"Ranking: \" followed by the candidate "
                    + "numbers from best to worst, comma-separated.", prompt);
            case FUSE -> new ChatPrompt("You are given several candidate answers to the same task. Combine their "
                    + "correct parts into one better answer and drop their mistakes. " + ANSWER_FORMAT, prompt);
            case REFINE -> new ChatPrompt("You are given a task, a previous answer and feedback on it. Write an "
                    + "improved answer that fixes the problems the feedback points out. " + ANSWER_FORMAT, prompt);
            case JUDGE -> new ChatPrompt("You are a strict judge. Decide whether the answer below correctly solves "
                    + "the task. Finish with a line \"Verdict: correct\" or \"Verdict: incorrect\".", prompt);
        };
    }
}
