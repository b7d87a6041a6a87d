package dev.verigen.contracts;

import java.util.List;
import java.util.Objects;

/** reward-model-svc → orchestrator: one score per candidate of the job, or why there are none. */
public record ScoringResult(JobMeta meta, String scorer, List<Score> scores, Usage usage, JobError error) {

    public ScoringResult {
        Objects.requireNonNull(meta, "meta");
        scores = scores == null ? List.of() : List.copyOf(scores);
        usage = usage == null ? Usage.ZERO : usage;
    }

    public boolean ok() {
        return error == null;
    }
}
