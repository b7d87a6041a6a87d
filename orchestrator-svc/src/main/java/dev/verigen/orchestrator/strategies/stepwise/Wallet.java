package dev.verigen.orchestrator.strategies.stepwise;

import dev.verigen.orchestrator.strategies.RunState;

/**
 * What one decision may still ask for. The run's budget does not change while a decision is made, so every job a
 * decision plans is paid from this wallet first: a plan that fits it is never refused by the run driver.
 */
public final class Wallet {

    private long tokens;
    private long calls;

    private Wallet(long tokens, long calls) {
        this.tokens = tokens;
        this.calls = calls;
    }

    public static Wallet of(RunState.Budget budget) {
        return new Wallet(budget.remainingTokens(), budget.remainingCalls());
    }

    /** A wallet with {@code reserve} set aside (what the search must keep to finish); it may be overdrawn. */
    public Wallet less(Cost reserve) {
        return new Wallet(tokens - reserve.tokens(), calls - reserve.calls());
    }

    public boolean affords(Cost cost) {
        return cost.tokens() <= tokens && cost.calls() <= calls;
    }

    /** Pays {@code cost} when it fits; a wallet never goes below what it held. */
    public boolean pay(Cost cost) {
        if (!affords(cost)) {
            return false;
        }
        tokens -= cost.tokens();
        calls -= cost.calls();
        return true;
    }

    /** A reservation bound: tokens and calls. */
    public record Cost(long tokens, long calls) {
        public static final Cost NONE = new Cost(0, 0);

        public Cost plus(Cost other) {
            return new Cost(tokens + other.tokens, calls + other.calls);
        }

        public Cost times(int n) {
            return new Cost(tokens * n, calls * n);
        }
    }
}
