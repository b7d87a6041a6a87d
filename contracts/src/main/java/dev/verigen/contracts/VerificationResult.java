package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;

/** verifier-svc → orchestrator: one verdict per candidate of the job, or why there are none. */
public record VerificationResult(JobMeta meta, String verifier, List<Verdict> verdicts, Usage usage, JobError error) {

    public VerificationResult {
        Objects.requireNonNull(meta, "meta");
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
        usage = usage == null ? Usage.ZERO : usage;
    }

    public boolean ok() {
        return error == null;
    }
}
