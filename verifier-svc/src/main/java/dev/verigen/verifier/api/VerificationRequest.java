package dev.verigen.verifier.api;

import dev.verigen.contracts.VerifierSpec;
import dev.verigen.verifier.stats.Label;

/** A parsed {@code POST /v1/verifications} body. */
record VerificationRequest(VerifierSpec verifier, String candidate, String reference, String prompt, Label label) {
}
