package dev.verigen.orchestrator.strategies;

import java.nio.charset.StandardCharsets;

/**
 * Upper bounds of what a job may spend, reserved before it is dispatched. They must never be below the real
 * usage, or a run could overspend; the surplus returns to the budget when the result settles.
 */
public final class Costs {

    /** Room for a chat or role template around the prompt. */
    static final long TEMPLATE_TOKENS = 256;

    private Costs() {
    }

    /** No tokenizer yields more tokens than the prompt has bytes (byte-level fallback), plus the template. */
    public static long promptTokensBound(String prompt) {
        return prompt.getBytes(StandardCharsets.UTF_8).length + TEMPLATE_TOKENS;
    }

    public static long generationTokens(String prompt, int n, int maxTokens) {
        return promptTokensBound(prompt) + (long) n * maxTokens;
    }

    /** How many of the wanted samples the budget can still pay for. */
    public static int affordableSamples(RunState.Budget budget, String prompt, int wanted, int maxTokens) {
        long byCalls = budget.remainingCalls();
        long tokensLeft = budget.remainingTokens();
        long byTokens = tokensLeft == Long.MAX_VALUE ? Long.MAX_VALUE
                : Math.max(0, (tokensLeft - promptTokensBound(prompt)) / maxTokens);
        return (int) Math.min(wanted, Math.min(byCalls, byTokens));
    }
}
