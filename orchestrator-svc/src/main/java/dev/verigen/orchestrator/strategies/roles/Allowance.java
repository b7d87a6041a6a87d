package dev.verigen.orchestrator.strategies.roles;

import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.Headroom;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.List;

/**
 * What the rest of one decision may still dispatch, in tokens, calls and FLOPs: the run's remaining budget less
 * what the decision's earlier actions reserve (a {@link Headroom}, counted in the role strategies' terms). The
 * state's budget does not see actions still being decided, and the run driver fails a run whose dispatch does not
 * fit, so a strategy asking for several jobs at once counts them here. Generations name their pool (an Archon
 * ensemble's components each have their own); a null pool is the run's model.
 */
public final class Allowance {

    private final Headroom room;

    public Allowance(RunState.Budget budget) {
        this(Headroom.of(budget));
    }

    private Allowance(Headroom room) {
        this.room = room;
    }

    public Allowance copy() {
        return new Allowance(room.copy());
    }

    public boolean fits(long wantTokens, long wantCalls) {
        return room.affords(new Costs.Bound(wantTokens, wantCalls, 0));
    }

    /** Counts the spend when it fits; @return whether it did */
    public boolean take(long wantTokens, long wantCalls) {
        return room.pay(new Costs.Bound(wantTokens, wantCalls, 0));
    }

    /** Counts a generation of {@code n} samples of {@code prompt} (a material, or the task) when it fits. */
    public boolean generate(String prompt, int n, int maxTokens) {
        return generate(null, prompt, n, maxTokens);
    }

    /** Counts a generation of {@code n} samples of {@code prompt} on {@code pool} when it fits. */
    public boolean generate(String pool, String prompt, int n, int maxTokens) {
        return room.pay(generation(pool, prompt, n, maxTokens));
    }

    /** The most of {@code wanted} samples of the run's model that fit, without counting them. */
    public int samples(String prompt, int wanted, int maxTokens) {
        return samples(null, prompt, wanted, maxTokens);
    }

    /** The most of {@code wanted} samples on {@code pool} that fit, without counting them. */
    public int samples(String pool, String prompt, int wanted, int maxTokens) {
        return room.most(wanted, n -> generation(pool, prompt, n, maxTokens));
    }

    /**
     * The most of {@code wanted} samples (of the run's model) that fit together with scoring them afterwards
     * (estimated: every sample {@code textBytes} long), without counting them; {@code scorer} null means no scoring.
     */
    public int samplesWithScoring(String prompt, int wanted, int maxTokens, String scorer, String task,
                                  long textBytes) {
        return room.most(wanted, n -> withScoring(prompt, n, maxTokens, scorer, task, textBytes));
    }

    /**
     * Counts the most of {@code wanted} samples that fit together with room for scoring them (see
     * {@link #samplesWithScoring}); the room is held back for the rest of this decision only.
     *
     * @return how many samples were counted (0: none fit)
     */
    public int reserveSamples(String prompt, int wanted, int maxTokens, String scorer, String task, long textBytes) {
        int n = samplesWithScoring(prompt, wanted, maxTokens, scorer, task, textBytes);
        if (n > 0) {
            room.pay(withScoring(prompt, n, maxTokens, scorer, task, textBytes));
        }
        return n;
    }

    /** Counts a scoring job of these candidate texts when it fits. */
    public boolean score(String scorer, String task, List<String> texts) {
        return room.pay(Costs.scoring(room.compute(), scorer, task, texts));
    }

    private Costs.Bound generation(String pool, String prompt, int n, int maxTokens) {
        return Costs.generation(room.compute(), pool, prompt, n, maxTokens);
    }

    /** n samples and an upper bound of scoring each one of this length (a judge's cost grows with it). */
    private Costs.Bound withScoring(String prompt, int n, int maxTokens, String scorer, String task, long textBytes) {
        Costs.Bound each = scorer == null ? Costs.Bound.NONE : Costs.scoring(room.compute(), scorer, task, textBytes);
        return generation(null, prompt, n, maxTokens).plus(each.times(n));
    }
}
