package dev.verigen.orchestrator.traces;

/**
 * Measured usage as the API shows it: the result's own figures and the FLOPs estimated from them.
 *
 * @param flops estimated compute (see {@code strategies.ComputeEstimator}); 0 for work outside the platform's pools
 */
public record UsageView(long promptTokens, long completionTokens, long calls, long engineMs, long wallMs,
                        double flops) {

    public static final UsageView ZERO = new UsageView(0, 0, 0, 0, 0, 0);

    public UsageView plus(UsageView other) {
        return new UsageView(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                calls + other.calls, engineMs + other.engineMs, wallMs + other.wallMs, flops + other.flops);
    }
}
