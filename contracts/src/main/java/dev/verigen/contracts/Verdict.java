package dev.verigen.contracts;

import java.util.Objects;
import java.util.UUID;

/**
 * A verifier's judgement of one candidate.
 *
 * @param outcome   pass, fail, or error when the verifier could not decide
 * @param extracted the answer the verifier read out of the candidate, if any
 * @param evidence  why: what was compared with what
 */
public record Verdict(UUID candidateId, Outcome outcome, String extracted, String evidence) {

    public Verdict {
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(outcome, "outcome");
        evidence = evidence == null ? "" : evidence;
    }

    public enum Outcome { PASS, FAIL, ERROR }
}
