package dev.verigen.reward.scoring;

import dev.verigen.contracts.Score;
import dev.verigen.contracts.Usage;
import java.util.List;

/** A scorer's output; the service fills in the job's wall time, so {@code usage.wallMs} may be left 0. */
public record Scored(List<Score> scores, Usage usage) {

    public Scored {
        scores = List.copyOf(scores);
        usage = usage == null ? Usage.ZERO : usage;
    }
}
