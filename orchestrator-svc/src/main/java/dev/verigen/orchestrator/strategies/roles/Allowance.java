package dev.verigen.orchestrator.strategies.roles;

import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.List;

/**
 * What the rest of one decision may still dispatch: the run's remaining budget less what the decision's earlier
 * actions reserve. The state's budget does not see actions still being decided, and the run driver fails a run
 * whose dispatch does not fit, so a strategy asking for several jobs at once counts them here.
 */
public final class Allowance {

    private static final long UNCAPPED = Long.MAX_VALUE;

    private long tokens;
    private long calls;

    public Allowance(RunState.Budget budget) {
        this(budget.remainingTokens(), budget.remainingCalls());
    }

    private Allowance(long tokens, long calls) {
        this.tokens = tokens;
        this.calls = calls;
    }

    public Allowance copy() {
        return new Allowance(tokens, calls);
    }

    public boolean fits(long wantTokens, long wantCalls) {
        return wantTokens <= tokens && wantCalls <= calls;
    }

    /** Counts the spend when it fits; @return whether it did */
    public boolean take(long wantTokens, long wantCalls) {
        if (!fits(wantTokens, wantCalls)) {
            return false;
        }
        tokens = tokens == UNCAPPED ? UNCAPPED : tokens - wantTokens;
        calls = calls == UNCAPPED ? UNCAPPED : calls - wantCalls;
        return true;
    }

    /** Counts a generation of {@code n} samples of {@code prompt} (a material, or the task) when it fits. */
    public boolean generate(String prompt, int n, int maxTokens) {
        return take(Costs.generationTokens(prompt, n, maxTokens), n);
    }

    /** The most of {@code wanted} samples that fit, without counting them. */
    public int samples(String prompt, int wanted, int maxTokens) {
        for (int n = wanted; n >= 1; n--) {
            if (fits(Costs.generationTokens(prompt, n, maxTokens), n)) {
                return n;
            }
        }
        return 0;
    }

    /**
     * The most of {@code wanted} samples that fit together with scoring them afterwards (estimated: every sample
     * {@code textBytes} long), without counting them; {@code scorer} null means no scoring.
     */
    public int samplesWithScoring(String prompt, int wanted, int maxTokens, String scorer, String task,
                                  long textBytes) {
        Costs.ScoringCost each = scoringEach(scorer, task, textBytes);
        for (int n = wanted; n >= 1; n--) {
            if (fits(Costs.generationTokens(prompt, n, maxTokens) + n * each.tokens(), n + n * each.calls())) {
                return n;
            }
        }
        return 0;
    }

    /**
     * Counts the most of {@code wanted} samples that fit together with room for scoring them (see
     * {@link #samplesWithScoring}); the room is held back for the rest of this decision only.
     *
     * @return how many samples were counted (0: none fit)
     */
    public int reserveSamples(String prompt, int wanted, int maxTokens, String scorer, String task, long textBytes) {
        int n = samplesWithScoring(prompt, wanted, maxTokens, scorer, task, textBytes);
        if (n > 0) {
            Costs.ScoringCost each = scoringEach(scorer, task, textBytes);
            take(Costs.generationTokens(prompt, n, maxTokens) + n * each.tokens(), n + n * each.calls());
        }
        return n;
    }

    /** An upper bound of scoring one candidate of this length (a judge's cost grows with it). */
    private static Costs.ScoringCost scoringEach(String scorer, String task, long textBytes) {
        if (scorer == null) {
            return new Costs.ScoringCost(0, 0);
        }
        return Costs.scoring(scorer, task, List.of("x".repeat((int) Math.min(textBytes, 1 << 20))));
    }

    /** Counts a scoring job of these candidate texts when it fits. */
    public boolean score(String scorer, String task, List<String> texts) {
        Costs.ScoringCost cost = Costs.scoring(scorer, task, texts);
        return take(cost.tokens(), cost.calls());
    }
}
