package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;

/**
 * Orchestrator → reward-model-svc: score a batch of candidates of one prompt.
 *
 * @param scorer the reward model to use, e.g. {@code sim-orm}
 * @param prompt the task the candidates answer. There is no reference answer here: a reward model, real or simulated,
 *               judges from the task and the candidate alone (a message from an older orchestrator that still carries
 *               one decodes, and the field is dropped)
 * @param seed   the sampling seed of a model-backed scorer's own samples (a judge's verdicts), derived from the run's
 *               seed; null draws afresh. A seeded run then judges the same candidates the same way when replayed, and
 *               the arms of an experiment compare on common random numbers, judge included
 */
public record ScoringJob(JobMeta meta, String scorer, String prompt, List<CandidateRef> candidates, Long seed) {

    /** An unseeded job. */
    public ScoringJob(JobMeta meta, String scorer, String prompt, List<CandidateRef> candidates) {
        this(meta, scorer, prompt, candidates, null);
    }

    public ScoringJob {
        Objects.requireNonNull(meta, "meta");
        JobError.requireText(scorer, "scorer");
        prompt = prompt == null ? "" : prompt;
        candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
    }
}
