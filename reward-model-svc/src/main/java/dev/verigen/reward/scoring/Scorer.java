package dev.verigen.reward.scoring;

import dev.verigen.contracts.ScoringJob;
import java.util.Optional;

/**
 * A reward model. Implementations are Spring beans; {@link ScorerRegistry} finds them by {@link #name()}, so adding
 * a scorer is adding one {@code @Component}. Return one score per candidate, in the job's order. Throw
 * {@link ScorerException} to fail the job with a specific error; any other exception fails it as {@code scorer_failed}.
 */
public interface Scorer {

    /** The name jobs select this scorer by, e.g. {@code sim-orm}. */
    String name();

    Scored score(ScoringJob job);

    /**
     * A variant of this scorer that a job selects as {@code <name>:<variant>}, e.g. {@code math-prm:min} (another step
     * aggregation) or {@code sim-orm:pairwise} (pairwise win rates). Empty when this scorer has no such variant; the
     * registry then answers {@code unknown_scorer}.
     */
    default Optional<Scorer> variant(String variant) {
        return Optional.empty();
    }
}
