package dev.verigen.orchestrator.budgets;

/**
 * A quantity of every budget unit at once: tokens, model calls and estimated FLOPs.
 *
 * @param flops whole FLOPs, rounded up: whole numbers add and subtract exactly in the budget rows' {@code numeric}
 *              columns, so a settled reservation returns to exactly zero
 */
public record Amount(long tokens, long calls, double flops) {

    public static final Amount ZERO = new Amount(0, 0, 0);

    public Amount {
        if (tokens < 0 || calls < 0 || !(flops >= 0) || Double.isInfinite(flops)) {
            throw new IllegalArgumentException("an amount is never negative and its FLOPs are finite: " + tokens
                    + " tokens, " + calls + " calls, " + flops + " FLOPs");
        }
        flops = Math.ceil(flops);
    }

    /** The FLOPs exactly, for the {@code numeric} columns (a double bound as a parameter would be cast to float8). */
    java.math.BigDecimal exactFlops() {
        return new java.math.BigDecimal(flops);
    }
}
