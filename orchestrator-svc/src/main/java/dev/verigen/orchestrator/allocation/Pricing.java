package dev.verigen.orchestrator.allocation;

import dev.verigen.orchestrator.strategies.ComputeEstimator;
import java.util.Collections;

/**
 * What the allocator's budget counts, and so what each purchase costs: tokens (prompt and completion, as run budgets
 * count them), or effective FLOPs in the Kinetics cost model ({@link ComputeEstimator}: 2 · parameters per token plus
 * the attention's KV-cache reads times the hardware's arithmetic intensity, per pool). A token is the same price on
 * every pool; an eFLOP is not: under {@code flops} a sample of a 70B pool costs what it costs, and a long sample of a
 * small pool pays for its memory traffic, so the allocator can weigh a larger model with fewer samples against a
 * smaller one with more (arms on different pools, {@link Arm#model()}).
 *
 * <p>Expected costs come from the curve book's token counts (a voting purchase's prompt once and its samples' mean
 * completion; a search arm's measured tokens, priced as one sequence after the prompt, which bounds its KV traffic);
 * caps from the token upper bounds a run reserves. A finished run reports what it spent in the same unit
 * ({@link ItemRun#tokens()}).
 */
final class Pricing {

    private final Options options;
    private final CurveBook book;
    private final ComputeEstimator estimator;

    Pricing(Options options, CurveBook book, ComputeEstimator estimator) {
        this.options = options;
        this.book = book;
        this.estimator = estimator;
    }

    boolean flops() {
        return options.budgetUnit() == Options.BudgetUnit.FLOPS;
    }

    String pool(Arm arm) {
        return arm.model() != null ? arm.model() : options.model();
    }

    /** What a voting purchase of {@code samples} is expected to spend: its prompt once, then its samples. */
    double votingCost(int samples) {
        if (!flops()) {
            return samples * book.sampleTokens() + book.runTokens();
        }
        long completion = Math.round(book.sampleTokens());
        return estimator.generation(options.model(), Math.round(book.runTokens()),
                Collections.nCopies(samples, completion));
    }

    /** The most a voting purchase of {@code samples} may spend: its run's budget. */
    long votingCap(int samples) {
        if (!flops()) {
            return options.promptTokens() + (long) samples * options.sampleMaxTokens();
        }
        return (long) Math.ceil(estimator.generationBound(options.model(), options.promptTokens(), samples,
                options.sampleMaxTokens()));
    }

    /** The most voting samples whose cap fits {@code room}; 0 when not even one does. */
    int samplesWithin(long room) {
        if (!flops()) {
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE,
                    (room - options.promptTokens()) / options.sampleMaxTokens()));
        }
        int n = 0;
        while (n < options.maxSamples() && votingCap(n + 1) <= room) {
            n++;
        }
        return n;
    }

    /** A search or verifying run expected to spend {@code tokens} (the curve book's measure). */
    double searchCost(Arm arm, double tokens) {
        if (!flops()) {
            return tokens;
        }
        long prompt = Math.min(Math.round(book.runTokens()), Math.round(tokens));
        return estimator.generation(pool(arm), prompt, java.util.List.of(Math.round(tokens) - prompt));
    }

    /** A search or verifying run's budget: its {@code maxTokens}, or their eFLOPs as one sequence after the prompt. */
    long searchCap(Arm arm) {
        if (!flops()) {
            return arm.maxTokens();
        }
        return (long) Math.ceil(estimator.generationBound(pool(arm), options.promptTokens(), 1, arm.maxTokens()));
    }
}
