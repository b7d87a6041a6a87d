package dev.verigen.reward.scoring;

import java.util.List;

/**
 * A source of scorers that are not beans of their own, e.g. the HTTP reward models configured under
 * {@code verigen.reward.scorers.<name>}. The {@link ScorerRegistry} adds them to the {@link Scorer} beans.
 */
public interface ScorerProvider {

    List<Scorer> scorers();
}
