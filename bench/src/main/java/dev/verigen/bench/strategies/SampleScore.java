package dev.verigen.bench.strategies;

import dev.verigen.orchestrator.strategies.RunState;

/**
 * The number the allocator reads as a sample's score ({@code Sample.score}: the pooled vote's weight and the
 * difficulty features' mean/max/leader score). The allocator only knows reward scores; a pool without a reward
 * model can still give it a per-sample confidence: the model's own sequence probability.
 */
enum SampleScore {

    /** The run's reward model's score (null when unscored). */
    REWARD {
        @Override
        Double of(RunState.Candidate c) {
            return c.score();
        }
    },

    /**
     * exp of the summed token log-probabilities the engine reported (null when it reported none): the same weight
     * self_consistency's likelihood vote gives a sample, so the pooled vote with exponent 1 is that vote.
     */
    LIKELIHOOD {
        @Override
        Double of(RunState.Candidate c) {
            return c.logprob() == null ? null : Math.exp(c.logprob());
        }
    };

    abstract Double of(RunState.Candidate c);
}
