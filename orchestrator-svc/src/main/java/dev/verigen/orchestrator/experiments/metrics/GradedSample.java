package dev.verigen.orchestrator.experiments.metrics;

/**
 * One candidate a run produced, graded against the item's reference.
 *
 * @param index        the candidate's position in the run; ties in votes and selections go to the lowest
 * @param answer       normalised final answer, or null when the candidate states none
 * @param correct      whether the candidate is right per the item's reference
 * @param verifierPass the pipeline's verifier verdict: true PASS, false FAIL, null none
 * @param score        reward-model score, or null
 * @param logprob      sequence log-likelihood, or null
 * @param tokens       tokens the candidate cost
 * @param temperature  the temperature it was sampled at, when known
 */
public record GradedSample(int index, String answer, boolean correct, Boolean verifierPass, Double score,
                           Double logprob, long tokens, Double temperature) {

    public GradedSample(int index, String answer, boolean correct, Boolean verifierPass, Double score, Double logprob,
                        long tokens) {
        this(index, answer, correct, verifierPass, score, logprob, tokens, null);
    }
}
