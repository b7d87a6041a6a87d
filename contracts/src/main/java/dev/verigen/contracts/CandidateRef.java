package dev.verigen.contracts;

import java.util.Objects;
import java.util.UUID;

/** A candidate answer sent for verification or scoring. */
public record CandidateRef(UUID candidateId, String text) {
    public CandidateRef {
        Objects.requireNonNull(candidateId, "candidateId");
        text = text == null ? "" : text;
    }
}
