package dev.verigen.orchestrator.allocation;

/**
 * One finished candidate of a purchased run, as the allocator needs it.
 *
 * @param answer   the normalised final answer ({@code Answers}), null when the sample states none
 * @param verified the run's verifier: true for PASS, false for FAIL, null when unverified (or an error)
 * @param score    the run's reward-model score, null when unscored
 * @param logprob  the sample's log-probability when the engine reported one
 * @param tokens   completion tokens of the sample
 * @param complete false for a sample cut off at max tokens (it votes for nothing)
 */
public record Sample(String answer, Boolean verified, Double score, Double logprob, long tokens, boolean complete) {
}
