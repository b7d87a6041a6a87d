package dev.verigen.orchestrator.strategies.stepwise;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.Costs.Bound;
import dev.verigen.orchestrator.strategies.Headroom;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * How a step-wise search ends, whatever stopped it: complete what is left to complete (as far as the budget goes),
 * judge the complete solutions (the run's verifier when there is a reference; the run's reward model, else the PRM)
 * and answer with the best: a verified pass first, then the final score, then the PRM score, then the earliest.
 */
public final class Wrapup {

    public static final String COMPLETING = "COMPLETING";
    public static final String JUDGING = "JUDGING";

    /** How often the completion of the best partial is asked again when it failed and nothing else is complete. */
    static final int RETRIES = 2;

    /**
     * @param stage    what the wrap-up waits for
     * @param pool     the complete solutions to choose from
     * @param asked    the labels of the completions asked for, all attempts included
     * @param why      what stopped the search, for the answer's reason
     * @param partials the partials it may complete, best first
     * @param tries    attempts at completing a partial so far
     */
    public record State(String stage, List<UUID> pool, List<String> asked, String why, List<UUID> partials,
                        int tries) {
    }

    /** The actions to take and, while the wrap-up still waits for something, its state (null once it ended). */
    public record Step(List<Action> actions, State state) {
    }

    private Wrapup() {
    }

    /**
     * @param partials    unfinished solutions, best first
     * @param completeAll complete every partial the budget can pay for (the step limit was reached); otherwise a
     *                    partial is completed only when there is no complete solution at all
     */
    public static Step begin(Search s, Headroom room, List<UUID> pool, List<UUID> partials, boolean completeAll,
                             String why) {
        return complete(s, room, pool, partials, completeAll, why, List.of(), 1);
    }

    private static Step complete(Search s, Headroom room, List<UUID> pool, List<UUID> partials, boolean all,
                                 String why, List<String> askedBefore, int tries) {
        List<UUID> wanted = all ? partials
                : pool.isEmpty() && !partials.isEmpty() ? partials.subList(0, 1) : List.of();
        List<Action> actions = new ArrayList<>();
        List<String> asked = new ArrayList<>(askedBefore);
        for (UUID partial : wanted) {
            if (!room.pay(s.generation(s.text(partial), 1))) {
                break; // best first: what the budget cannot pay for stays unfinished
            }
            String label = "fin/" + asked.size();
            actions.add(Action.Generate.completion(label, partial, 1));
            asked.add(label);
        }
        if (!actions.isEmpty()) {
            return new Step(actions, new State(COMPLETING, List.copyOf(pool), asked, why, List.copyOf(partials),
                    tries));
        }
        if (pool.isEmpty() && !partials.isEmpty()) {
            return new Step(List.of(new Action.Fail("budget_exhausted", s.name() + " (" + why
                    + "): no complete solution, and the budget cannot pay to complete the best partial one")), null);
        }
        return judge(s, room, pool, why);
    }

    /** Every job the wrap-up asked for has come back (or failed). */
    public static Step resume(Search s, Headroom room, State state) {
        if (state.stage().equals(COMPLETING)) {
            LinkedHashSet<UUID> pool = new LinkedHashSet<>(state.pool());
            for (String label : state.asked()) {
                s.children(label).stream().filter(RunState.Candidate::complete).forEach(c -> pool.add(c.id()));
            }
            if (pool.isEmpty() && state.tries() <= RETRIES) {
                // the completion failed and nothing else is complete: ask again (a new label draws anew)
                return complete(s, room, List.of(), state.partials(), false, state.why(), state.asked(),
                        state.tries() + 1);
            }
            return judge(s, room, List.copyOf(pool), state.why());
        }
        return finish(s, state.pool(), state.why());
    }

    private static Step judge(Search s, Headroom room, List<UUID> pool, String why) {
        if (pool.isEmpty()) {
            return new Step(List.of(new Action.Fail("generation_failed", s.name() + " (" + why
                    + "): no complete solution came back")), null);
        }
        RunState state = s.state();
        List<Action> actions = new ArrayList<>();
        if (state.spec().verifier() != null && state.input().hasReference()) {
            List<UUID> unverified = pool.stream().filter(id -> s.candidate(id).verdict() == null).toList();
            if (!unverified.isEmpty()) {
                actions.add(new Action.Verify(unverified));
            }
        }
        String rewardModel = state.spec().rewardModel();
        String finalScorer = finalScorer(s);
        List<UUID> unscored = pool.stream().filter(id -> s.candidate(id).scoreBy(finalScorer) == null).toList();
        if (!unscored.isEmpty()) {
            Bound cost = s.scoring(finalScorer, unscored.stream().map(s::text).toList());
            if (room.pay(cost)) {
                // null names the run's reward model, as the engine records it
                actions.add(new Action.Score(unscored, rewardModel != null ? null : finalScorer));
            }
        }
        if (actions.isEmpty()) {
            return finish(s, pool, why);
        }
        return new Step(actions, new State(JUDGING, List.copyOf(pool), List.of(), why, List.of(), 0));
    }

    private static String finalScorer(Search s) {
        String rewardModel = s.state().spec().rewardModel();
        return rewardModel != null ? rewardModel : s.prm();
    }

    /** The answer ranking: verified pass, final score, PRM score, earliest. */
    public static Comparator<RunState.Candidate> ranking(String finalScorer, String prm) {
        return Comparator.comparingInt((RunState.Candidate c) -> verdictRank(c.verdict()))
                .thenComparing(c -> orLowest(c.scoreBy(finalScorer)), Comparator.reverseOrder())
                .thenComparing(c -> orLowest(c.scoreBy(prm)), Comparator.reverseOrder())
                .thenComparingInt(RunState.Candidate::index);
    }

    private static Step finish(Search s, List<UUID> pool, String why) {
        List<RunState.Candidate> members = pool.stream().map(s::candidate).toList();
        String finalScorer = finalScorer(s);
        RunState.Candidate best = members.stream().min(ranking(finalScorer, s.prm())).orElseThrow();
        return new Step(List.of(new Action.Finish(best.id(), reason(s, best, members, finalScorer, why))), null);
    }

    private static String reason(Search s, RunState.Candidate chosen, List<RunState.Candidate> all, String scorer,
                                 String why) {
        long passing = all.stream().filter(c -> c.verdict() == Verdict.Outcome.PASS).count();
        Double score = chosen.scoreBy(scorer);
        String scored = score == null ? "" : String.format(Locale.ROOT, ", %s score %.3f", scorer, score);
        String head = s.name() + " (" + why + "): ";
        if (chosen.verdict() == Verdict.Outcome.PASS) {
            return head + "verified: passed the verifier (" + passing + " of " + all.size()
                    + " complete solutions passed)" + scored;
        }
        if (chosen.verdict() == null) {
            return head + "unverified: best of " + all.size() + " complete solutions" + scored;
        }
        return head + "no complete solution passed verification (" + all.size() + " tried); best remaining" + scored;
    }

    private static double orLowest(Double score) {
        return score == null ? Double.NEGATIVE_INFINITY : score;
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
