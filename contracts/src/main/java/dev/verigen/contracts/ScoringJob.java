package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;

/**
 * Orchestrator → reward-model-svc: score a batch of candidates of one prompt.
 *
 * @param scorer    the reward model to use, e.g. {@code sim-orm}
 * @param reference the reference answer when the task has one. Only simulated reward models read it,
 *                  to model a latent correctness; real reward models never see it.
 */
public record ScoringJob(JobMeta meta, String scorer, String prompt, String reference, List<CandidateRef> candidates) {

    public ScoringJob {
        Objects.requireNonNull(meta, "meta");
        JobError.requireText(scorer, "scorer");
        prompt = prompt == null ? "" : prompt;
        candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
    }
}
