package dev.verigen.orchestrator.strategies;

import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import dev.verigen.orchestrator.strategies.sampling.Batches;
import dev.verigen.orchestrator.strategies.sampling.Vote;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Self-consistency (Wang et al.): sample n solutions, read each one's final answer ({@link Answers}) and answer with
 * the most frequent one — or, with {@code vote: weighted}, the one with the highest summed reward score, or, with
 * {@code vote: likelihood}, the one with the highest summed sequence probability under the sampling model. Samples may
 * be spread over several temperatures; {@code adaptive} samples in batches and stops as soon as the leading answer is
 * safely ahead (Adaptive-Consistency's Beta criterion). The verifier, when the input has a reference, only reads
 * answers and labels the result: it never overrules the vote (best_of_n is the verifier-first strategy).
 */
@Component
public class SelfConsistency implements Strategy {

    public static final String NAME = "self_consistency";
    public static final String MAJORITY = "majority";
    public static final String WEIGHTED = "weighted";
    public static final String LIKELIHOOD = "likelihood";
    static final int MAX_TEMPERATURES = 8;

    /**
     * @param vote         {@code majority} (one vote per sample), {@code weighted} (reward score per sample) or
     *                     {@code likelihood} (sequence probability per sample, {@link Vote#likelihood})
     * @param temperatures sample s is drawn at {@code temperatures[s % size]}; empty keeps the run's temperature
     * @param adaptive     batches and early stopping; null when off
     */
    public record Options(String vote, List<Double> temperatures, Adaptive adaptive) {
        public Options {
            vote = vote == null ? MAJORITY : vote;
            temperatures = temperatures == null ? List.of() : List.copyOf(temperatures);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        o.onlyKnown(Set.of("vote", "temperatures", Adaptive.FIELD));
        String vote = o.choice("vote", Set.of(MAJORITY, WEIGHTED, LIKELIHOOD), MAJORITY);
        if (WEIGHTED.equals(vote) && o.base().rewardModel() == null) {
            o.reject("vote", "a weighted vote sums reward scores per answer: it needs a pipeline.rewardModel");
        }
        List<Double> temperatures = o.decimals("temperatures", MAX_TEMPERATURES, 0, 2, List.of());
        if (temperatures.size() > o.base().n()) {
            o.reject("temperatures", temperatures.size() + " temperatures but only " + o.base().n()
                    + " samples (pipeline.n): every temperature needs at least one sample");
        }
        return new Options(vote, temperatures, Adaptive.read(o));
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        Options options = state.spec().options(Options.class);
        Batches.Plan plan = new Batches.Plan(state.spec().n(), options.adaptive(), options.temperatures(),
                WEIGHTED.equals(options.vote()), LIKELIHOOD.equals(options.vote()));
        return switch (event) {
            case RunEvent.Started started -> Batches.start(state, plan);
            case RunEvent.StepFinished finished -> afterStep(state, finished, options, plan);
            case RunEvent.Progressed progressed -> List.of();
        };
    }

    private List<Action> afterStep(RunState state, RunEvent.StepFinished event, Options options, Batches.Plan plan) {
        return Batches.afterStep(state, event, plan, () -> {
            Vote vote = vote(state, options);
            return new Batches.Ending(stopReason(vote, options), report -> conclude(state, vote, report));
        });
    }

    /**
     * A weighted vote needs scores, a likelihood vote log-probabilities; when scoring was skipped (budget) or failed,
     * or the engine reports no log-probabilities, the samples are counted instead.
     */
    private static Vote vote(RunState state, Options options) {
        List<RunState.Candidate> answers = state.answers();
        return switch (options.vote()) {
            case WEIGHTED -> Vote.anyScored(answers) ? Vote.weighted(answers) : Vote.majority(answers);
            case LIKELIHOOD -> Vote.anyLogprob(answers) ? Vote.likelihood(answers) : Vote.majority(answers);
            default -> Vote.majority(answers);
        };
    }

    private static String stopReason(Vote vote, Options options) {
        if (options.adaptive() == null || vote.isEmpty()) {
            return null;
        }
        double p = vote.leaderStays();
        return p >= options.adaptive().confidence()
                ? String.format(Locale.ROOT, "P(leader stays ahead) = %.3f ≥ %s", p, options.adaptive().confidence())
                : null;
    }

    private static Action conclude(RunState state, Vote vote, String adaptiveNote) {
        List<RunState.Candidate> answers = state.answers();
        if (answers.isEmpty()) {
            return Outcomes.noAnswer(state);
        }
        if (vote.isEmpty()) {
            RunState.Candidate best = answers.stream().min(BestOfN.RANKING).orElseThrow();
            return new Action.Finish(best.id(), "no vote: none of " + answers.size()
                    + " samples stated a final answer; best-of-N ranking took sample " + best.index() + adaptiveNote);
        }
        Vote.Group leader = vote.leader();
        RunState.Candidate chosen = leader.representative();
        StringBuilder reason = new StringBuilder(vote.describe());
        if (vote.groups().size() > 1 && vote.runnerUpMass() == leader.mass()) {
            reason.append(" (tied with ").append(vote.groups().get(1).answer()).append("; the earlier answer wins)");
        }
        if (vote.voters() < answers.size()) {
            reason.append("; ").append(answers.size() - vote.voters()).append(" samples stated no answer");
        }
        if (chosen.verdict() != null) {
            reason.append("; verifier: ").append(chosen.verdict());
        }
        return new Action.Finish(chosen.id(), reason + adaptiveNote);
    }
}
