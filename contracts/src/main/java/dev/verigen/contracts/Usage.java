package dev.verigen.contracts;

/**
 * What one piece of work really cost. Budgets settle on these figures, never on estimates.
 *
 * @param promptTokens     tokens read by the engine (a prompt shared by n samples counts once)
 * @param completionTokens tokens generated
 * @param calls            model invocations (one per generated sample or scored item; deterministic verifiers count 0)
 * @param engineMs         time spent inside the engine or scorer
 * @param wallMs           wall time of the whole job in the service that ran it
 */
public record Usage(long promptTokens, long completionTokens, long calls, long engineMs, long wallMs) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || calls < 0 || engineMs < 0 || wallMs < 0) {
            throw new IllegalArgumentException("usage figures cannot be negative");
        }
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                calls + other.calls, engineMs + other.engineMs, wallMs + other.wallMs);
    }
}
