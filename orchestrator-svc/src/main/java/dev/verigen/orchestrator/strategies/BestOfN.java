package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.sampling.Adaptive;
import dev.verigen.orchestrator.strategies.sampling.Batches;
import dev.verigen.orchestrator.strategies.sampling.Prune;
import dev.verigen.orchestrator.strategies.sampling.Vote;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Best-of-N: sample n candidates, verify and score them, answer with the best. A verified pass beats any
 * score; the reward model breaks ties among equals; the earliest sample breaks what is left, so the choice is
 * deterministic. {@code selection: weighted} (weighted best-of-N) instead groups unverified candidates by final answer
 * and answers with the best member of the answer with the highest summed reward. {@code adaptive} samples in batches
 * and stops once a candidate passes verification (or, when weighted, once the leading answer is safe), or with
 * {@code abort} starts all at once and stops the rest at the workers. {@code temperatures} spreads the samples over
 * several temperatures, as self-consistency does. {@code prune} judges every sample mid-generation: each reports its
 * text at {@code at} tokens, the snapshots are scored, and the samples outside the best {@code keep} share are stopped
 * ({@link Prune}).
 */
@Component
public class BestOfN implements Strategy {

    public static final String NAME = "best_of_n";
    public static final String BEST = "best";
    public static final String WEIGHTED = "weighted";

    /** Verified pass first, then reward score, then the earliest sample. */
    public static final Comparator<RunState.Candidate> RANKING = Comparator
            .comparingInt((RunState.Candidate c) -> verdictRank(c.verdict()))
            .thenComparing(c -> c.score() == null ? Double.NEGATIVE_INFINITY : c.score(), Comparator.reverseOrder())
            .thenComparingInt(RunState.Candidate::index);

    /**
     * @param selection    {@code best} (verifier, then reward score) or {@code weighted} (reward mass per answer)
     * @param adaptive     batches and early stopping; null when off
     * @param temperatures sample s is drawn at {@code temperatures[s % size]}; empty keeps the run's temperature
     * @param prune        mid-generation pruning; null when off
     */
    public record Options(String selection, Adaptive adaptive, List<Double> temperatures, Prune.Settings prune) {
        public Options {
            selection = selection == null ? BEST : selection;
            temperatures = temperatures == null ? List.of() : List.copyOf(temperatures);
        }

        public Options(String selection, Adaptive adaptive) {
            this(selection, adaptive, List.of(), null);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        o.onlyKnown(Set.of("selection", Adaptive.FIELD, "temperatures", Prune.FIELD));
        String selection = o.choice("selection", Set.of(BEST, WEIGHTED), BEST);
        if (WEIGHTED.equals(selection) && o.base().rewardModel() == null) {
            o.reject("selection", "weighted selection sums reward scores per answer: it needs a pipeline.rewardModel");
        }
        List<Double> temperatures = o.decimals("temperatures", SelfConsistency.MAX_TEMPERATURES, 0, 2, List.of());
        if (temperatures.size() > o.base().n()) {
            o.reject("temperatures", temperatures.size() + " temperatures but only " + o.base().n()
                    + " samples (pipeline.n): every temperature needs at least one sample");
        }
        Adaptive adaptive = Adaptive.read(o);
        Prune.Settings prune = Prune.read(o);
        if (prune != null && adaptive != null) {
            o.reject(Prune.FIELD, "cannot be combined with adaptive: pruning starts every sample at once and stops "
                    + "the weak ones itself");
        }
        return new Options(selection, adaptive, temperatures, prune);
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        Options options = state.spec().options(Options.class);
        Batches.Plan plan = new Batches.Plan(state.spec().n(), options.adaptive(), options.temperatures(),
                WEIGHTED.equals(options.selection()));
        if (options.prune() != null) {
            return new Prune(options.prune(), plan, ending(state, options)).decide(state, event);
        }
        return switch (event) {
            case RunEvent.Started started -> Batches.start(state, plan);
            case RunEvent.StepFinished finished -> Batches.afterStep(state, finished, plan,
                    () -> ending(state, options));
            case RunEvent.Progressed progressed -> List.of();
        };
    }

    private static Batches.Ending ending(RunState state, Options options) {
        return new Batches.Ending(stopReason(state, options), report -> conclude(state, options, report));
    }

    /** Why more samples are pointless (adaptive): a verified pass, or a weighted leader that is safe; else null. */
    private static String stopReason(RunState state, Options options) {
        if (options.adaptive() == null) {
            return null;
        }
        if (state.answers().stream().anyMatch(c -> c.verdict() == Verdict.Outcome.PASS)) {
            return "a candidate passed verification";
        }
        if (WEIGHTED.equals(options.selection())) {
            Vote vote = vote(state.answers());
            double p = vote.leaderStays();
            if (!vote.isEmpty() && p >= options.adaptive().confidence()) {
                return String.format(Locale.ROOT, "P(leader stays ahead) = %.3f ≥ %s", p,
                        options.adaptive().confidence());
            }
        }
        return null;
    }

    private static Action conclude(RunState state, Options options, String adaptiveNote) {
        List<RunState.Candidate> all = state.answers();
        if (all.isEmpty()) {
            return Outcomes.noAnswer(state);
        }
        boolean passed = all.stream().anyMatch(c -> c.verdict() == Verdict.Outcome.PASS);
        if (WEIGHTED.equals(options.selection()) && !passed) {
            Vote vote = vote(all);
            if (!vote.isEmpty()) {
                RunState.Candidate chosen = vote.leader().representative();
                String verified = chosen.verdict() == null ? "unverified" : "no candidate passed verification ("
                        + all.size() + " tried)";
                return new Action.Finish(chosen.id(), verified + ": weighted best-of-N, " + vote.describe()
                        + adaptiveNote);
            }
        }
        RunState.Candidate best = all.stream().min(RANKING).orElseThrow();
        return new Action.Finish(best.id(), reason(best, all) + adaptiveNote);
    }

    /**
     * The weighted selection's vote: among candidates the verifier did not refute when there are any (a refuted
     * answer is wrong however well it scores), weighted by reward; by count when no candidate has a score (scoring
     * was skipped or failed).
     */
    private static Vote vote(List<RunState.Candidate> all) {
        List<RunState.Candidate> unrefuted = all.stream().filter(c -> c.verdict() != Verdict.Outcome.FAIL).toList();
        List<RunState.Candidate> pool = unrefuted.stream().anyMatch(Vote::eligible) ? unrefuted : all;
        return Vote.anyScored(pool) ? Vote.weighted(pool) : Vote.majority(pool);
    }

    private static String reason(RunState.Candidate chosen, List<RunState.Candidate> all) {
        long passing = all.stream().filter(c -> c.verdict() == Verdict.Outcome.PASS).count();
        String scored = chosen.score() == null ? "" : String.format(Locale.ROOT, ", reward score %.3f", chosen.score());
        if (chosen.verdict() == Verdict.Outcome.PASS) {
            return "verified: passed the verifier (" + passing + " of " + all.size() + " candidates passed)" + scored;
        }
        if (chosen.verdict() == null && chosen.score() != null) {
            return "unverified: highest reward score among " + all.size() + " candidates" + scored;
        }
        if (chosen.verdict() == null) {
            return "unverified: no verifier or reward model judged the candidates; first sample taken";
        }
        return "no candidate passed verification (" + all.size() + " tried); best remaining" + scored;
    }

    private static int verdictRank(Verdict.Outcome outcome) {
        if (outcome == null) {
            return 1;
        }
        return switch (outcome) {
            case PASS -> 0;
            case ERROR -> 1;
            case FAIL -> 2;
        };
    }
}
