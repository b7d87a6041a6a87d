package dev.verigen.orchestrator.strategies;

import java.util.function.IntFunction;

/**
 * What the rest of one decision may still reserve, in every budget unit: tokens, model calls and estimated FLOPs.
 * The state's budget does not see the actions still being decided, and the run driver fails a run whose
 * reservation is refused (in any unit), so a strategy asking for several jobs at once pays for each here first,
 * with the {@link Costs.Bound} the driver will reserve for it: a plan that fits is never refused. Every strategy
 * sizes its jobs through this one class (directly, or through {@code stepwise.Search} and {@code roles.Allowance}).
 */
public final class Headroom {

    /** Whole FLOPs below this add up exactly in a double, as they do in the budget rows' {@code numeric} columns. */
    private static final double EXACT = 0x1p53;

    private long tokens;
    private long calls;
    private double flops;
    private final ComputeEstimator compute;

    private Headroom(long tokens, long calls, double flops, ComputeEstimator compute) {
        this.tokens = tokens;
        this.calls = calls;
        this.flops = flops;
        this.compute = compute;
    }

    /**
     * The budget's remaining room. Beyond 2^53 FLOPs the budget's doubles are no longer exact, so a few units in the
     * last place are held back: the database checks the reservation against the cap exactly.
     */
    public static Headroom of(RunState.Budget budget) {
        double flops = budget.remainingFlops();
        if (budget.maxFlops() != null && budget.maxFlops() >= EXACT) {
            flops = Math.max(0, flops - 8 * Math.ulp(budget.maxFlops()));
        }
        return new Headroom(budget.remainingTokens(), budget.remainingCalls(), flops, budget.compute());
    }

    /** Prices FLOPs for this run: bound to the run's model, so a null pool means the run's model. */
    public ComputeEstimator compute() {
        return compute;
    }

    public Headroom copy() {
        return new Headroom(tokens, calls, flops, compute);
    }

    /** This room with {@code reserve} set aside (what a plan must keep for later); it may be overdrawn. */
    public Headroom less(Costs.Bound reserve) {
        return new Headroom(minus(tokens, reserve.tokens()), minus(calls, reserve.calls()), flops - reserve.flops(),
                compute);
    }

    public boolean affords(Costs.Bound cost) {
        return cost.tokens() <= tokens && cost.calls() <= calls && cost.flops() <= flops;
    }

    /** Counts {@code cost} when it fits; @return whether it did (room never goes below what it held) */
    public boolean pay(Costs.Bound cost) {
        if (!affords(cost)) {
            return false;
        }
        tokens = minus(tokens, cost.tokens());
        calls = minus(calls, cost.calls());
        flops -= cost.flops();
        return true;
    }

    /**
     * The most of {@code wanted} for which {@code cost.apply(n)} fits, without counting it (0: not even one);
     * {@code cost} must grow with n.
     */
    public int most(int wanted, IntFunction<Costs.Bound> cost) {
        int lo = 0;
        int hi = Math.max(0, wanted);
        while (lo < hi) {
            int mid = lo + (hi - lo + 1) / 2;
            if (affords(cost.apply(mid))) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** An uncapped unit stays uncapped. */
    private static long minus(long room, long spend) {
        return room == Long.MAX_VALUE ? Long.MAX_VALUE : room - spend;
    }

    @Override
    public String toString() {
        return "Headroom[" + tokens + " tokens, " + calls + " calls, " + flops + " FLOPs]";
    }
}
