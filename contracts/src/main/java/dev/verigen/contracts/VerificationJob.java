package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;

/** Orchestrator → verifier-svc: check a batch of candidates of one prompt against its reference. */
public record VerificationJob(JobMeta meta, VerifierSpec verifier, String prompt, String reference,
                              List<CandidateRef> candidates) {

    public VerificationJob {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(verifier, "verifier");
        prompt = prompt == null ? "" : prompt;
        candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
    }
}
