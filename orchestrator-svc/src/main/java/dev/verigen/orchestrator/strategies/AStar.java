package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.orchestrator.strategies.Costs.Bound;
import dev.verigen.orchestrator.strategies.stepwise.Search;
import dev.verigen.orchestrator.strategies.stepwise.Wrapup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A*-decoding (after Chatziveroglou 2025, "A*-Decoding: Token-Efficient Inference Scaling"): best-first search over
 * partial solutions. Every node on the frontier has a cost f = g + h, with g = {@code depthWeight} × the steps it has
 * taken and h = 1 − (PRM score of the partial), the PRM's estimate of how unlikely the path is to end right. Each
 * round the {@code parallel} cheapest frontier nodes are popped: a complete one is a solution; a partial one is
 * expanded by {@code expansions} one-step continuations, PRM-scored, of which the cheapest {@code keep} go on the
 * frontier (the paper's deterministic selection of the best successor when 1; the first steps all go on). The
 * frontier holds at most {@code frontier} nodes (the costliest are dropped). The search ends once {@code solutions} complete
 * solutions have been popped, the frontier is empty, {@code maxExpansions} nodes were expanded, or the budget cannot
 * pay for another expansion; the answer is chosen among the solutions as {@link Wrapup} ranks them (verified pass,
 * final score, PRM score). Popping a complete node only when it is the cheapest is what spends tokens on the one path
 * that looks best and on no other, where beam search and particle filtering keep a whole population growing.
 */
@Component
public class AStar implements Strategy {

    public static final String NAME = "a_star";
    static final Set<String> OPTIONS = Set.of("expansions", "keep", "frontier", "parallel", "solutions",
            "maxExpansions", "depthWeight", "prm");
    /** How often a round whose every job failed is tried again before the search ends with what it has. */
    static final int RETRIES = 2;
    static final String EXPANDING = "EXPANDING";
    static final String SCORING = "SCORING";
    static final String WRAPPING_UP = "WRAPPING_UP";
    private static final UUID ROOT = new UUID(0, 0);

    /**
     * @param expansions    next steps sampled per expanded node (k)
     * @param keep          how many of a node's k children go on the frontier, cheapest first: 1 is the paper's
     *                      deterministic selection of the best successor, k is textbook A*
     * @param frontier      the most nodes kept waiting on the frontier
     * @param parallel      nodes popped (and expanded together) per round: 1 is strict best-first
     * @param solutions     complete solutions to pop before stopping
     * @param maxExpansions the most nodes expanded in all (the root counts)
     * @param depthWeight   the weight of a step in g
     * @param prm           the scorer of partial solutions
     */
    public record Options(int expansions, int keep, int frontier, int parallel, int solutions, int maxExpansions,
                          double depthWeight, String prm) {
    }

    /** A node waiting on the frontier, with its cost. */
    public record Node(UUID id, double f) {
    }

    /**
     * @param asked    the labels of this round's expansion jobs
     * @param fresh    the children of this round, before they are scored
     * @param expanded nodes expanded so far
     * @param solved   complete solutions popped, in order
     */
    public record Memo(String phase, int round, List<Node> frontier, List<String> asked, List<UUID> fresh,
                       int expanded, List<UUID> solved, int emptyRounds, Wrapup.State wrapup) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        o.onlyKnown(OPTIONS);
        int k = o.integer("expansions", 1, 64, 4);
        int keep = o.integer("keep", 1, 64, 1);
        if (keep > k) {
            o.reject("keep", "must be at most expansions (" + k + "): a node has only that many children");
        }
        int frontier = o.integer("frontier", 1, 1024, 64);
        int parallel = o.integer("parallel", 1, 64, 1);
        int solutions = o.integer("solutions", 1, 64, 1);
        int maxExpansions = o.integer("maxExpansions", 1, 1024, 64);
        double depthWeight = o.decimal("depthWeight", 0, 10, 0.1);
        String prm = Search.prmOption(o);
        if (k * parallel > BeamSearch.MAX_ROUND_SAMPLES) {
            o.reject("expansions", "expansions × parallel (the steps sampled a round) must be at most "
                    + BeamSearch.MAX_ROUND_SAMPLES + "; it is " + k * parallel);
        }
        return new Options(k, Math.min(keep, k), frontier, parallel, solutions, maxExpansions, depthWeight, prm);
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        if (event instanceof RunEvent.Progressed) {
            return List.of(); // never asks for progress
        }
        if (event instanceof RunEvent.StepFinished && state.pendingSteps() > 0) {
            return List.of(); // a round moves on only when all of its jobs are back
        }
        Options opt = state.spec().options(Options.class);
        Search s = Search.of(state, opt.prm(), NAME);
        if (event instanceof RunEvent.Started) {
            // the root is the empty partial: its expansion draws the first steps
            return expand(s, opt, new Memo(EXPANDING, 0, List.of(), List.of(), List.of(), 0, List.of(), 0, null),
                    java.util.Collections.singletonList((UUID) null));
        }
        Memo memo = state.memo(Memo.class).orElse(null);
        if (memo == null) {
            return List.of(new Action.Fail("strategy_error", NAME + " lost its bookkeeping"));
        }
        return switch (memo.phase()) {
            case EXPANDING -> expanded(s, opt, memo);
            case SCORING -> pop(s, opt, push(s, opt, memo));
            case WRAPPING_UP -> wrapped(memo, Wrapup.resume(s, s.room(), memo.wrapup()));
            default -> List.of(new Action.Fail("strategy_error", "unknown phase " + memo.phase()));
        };
    }

    /** Asks for {@code expansions} next steps of each node, cheapest first, as far as the budget goes. */
    private List<Action> expand(Search s, Options opt, Memo memo, List<UUID> nodes) {
        int round = memo.round() + 1;
        Headroom room = s.room().less(s.completionReserve(nodes.stream().map(s::text).toList()));
        List<Action> gens = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        List<Node> unexpanded = new ArrayList<>();
        for (UUID node : nodes) {
            String text = s.text(node);
            Bound upkeep = s.scoringUpkeep(text, 1);
            int n = opt.expansions();
            while (n > 0 && !room.affords(s.generation(text, n).plus(upkeep.times(n)))) {
                n--;
            }
            if (n == 0) {
                if (node != null) {
                    unexpanded.add(new Node(node, cost(s, opt, node)));
                }
                continue;
            }
            room.pay(s.generation(text, n).plus(upkeep.times(n)));
            String label = "x" + round + "/e" + asked.size();
            gens.add(node == null
                    ? new Action.Generate(label, Role.GENERATE, null, null, n, null, null, null, false, true)
                    : Action.Generate.nextStep(label, node, n));
            asked.add(label);
        }
        List<Node> frontier = new ArrayList<>(memo.frontier());
        frontier.addAll(unexpanded);
        if (gens.isEmpty()) {
            if (memo.expanded() == 0) {
                return List.of(new Action.Fail("budget_exhausted", NAME + ": the budget cannot pay for a first step "
                        + "and the completion of one solution"));
            }
            return wrapUp(s, withFrontier(memo, frontier), "the budget ran out after " + memo.expanded()
                    + " expansions");
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(new Memo(EXPANDING, round, sorted(frontier), asked, List.of(),
                memo.expanded() + gens.size(), memo.solved(), memo.emptyRounds(), null)));
        actions.addAll(gens);
        return actions;
    }

    /** The round's children are back: score them with the PRM (skipped when the budget cannot pay for it). */
    private List<Action> expanded(Search s, Options opt, Memo memo) {
        List<UUID> fresh = new ArrayList<>();
        for (String label : memo.asked()) {
            s.children(label).forEach(c -> fresh.add(c.id()));
        }
        if (fresh.isEmpty()) {
            Memo idle = new Memo(SCORING, memo.round(), memo.frontier(), List.of(), List.of(), memo.expanded(),
                    memo.solved(), memo.emptyRounds() + 1, null);
            if (memo.emptyRounds() < RETRIES && !memo.frontier().isEmpty()) {
                return pop(s, opt, idle);
            }
            return wrapUp(s, idle, "round " + memo.round() + " produced nothing");
        }
        Memo next = new Memo(SCORING, memo.round(), memo.frontier(), List.of(), fresh, memo.expanded(),
                memo.solved(), 0, null);
        Headroom room = s.room().less(s.completionReserve(fresh.stream().map(s::text).toList()));
        if (!room.pay(s.scoring(opt.prm(), fresh.stream().map(s::text).toList()))) {
            return pop(s, opt, push(s, opt, next)); // unscored children cost as their parents did
        }
        return List.of(new Action.Remember(next), new Action.Score(fresh, opt.prm()));
    }

    /**
     * Puts the cheapest {@code keep} children of each expanded node on the frontier and keeps its cheapest
     * {@code frontier} nodes.
     */
    private Memo push(Search s, Options opt, Memo memo) {
        List<Node> frontier = new ArrayList<>(memo.frontier());
        java.util.Map<UUID, List<Node>> byParent = new java.util.LinkedHashMap<>();
        for (UUID child : memo.fresh()) {
            byParent.computeIfAbsent(s.candidate(child).parentId() == null ? ROOT : s.candidate(child).parentId(),
                    p -> new ArrayList<>()).add(new Node(child, cost(s, opt, child)));
        }
        for (var e : byParent.entrySet()) {
            // the first expansion keeps every first step: they are the roots of the search
            int keep = e.getKey().equals(ROOT) ? e.getValue().size() : opt.keep();
            frontier.addAll(sorted(e.getValue()).subList(0, Math.min(keep, e.getValue().size())));
        }
        List<Node> kept = sorted(frontier);
        return new Memo(SCORING, memo.round(), kept.subList(0, Math.min(kept.size(), opt.frontier())), List.of(),
                List.of(), memo.expanded(), memo.solved(), memo.emptyRounds(), null);
    }

    /** Pops the cheapest nodes: complete ones are solutions, the rest are expanded next. */
    private List<Action> pop(Search s, Options opt, Memo memo) {
        List<Node> frontier = new ArrayList<>(memo.frontier());
        List<UUID> solved = new ArrayList<>(memo.solved());
        List<UUID> toExpand = new ArrayList<>();
        while (!frontier.isEmpty() && toExpand.size() < opt.parallel() && solved.size() < opt.solutions()) {
            Node best = frontier.removeFirst();
            if (s.candidate(best.id()).complete()) {
                solved.add(best.id());
            } else if (memo.expanded() + toExpand.size() < opt.maxExpansions()) {
                toExpand.add(best.id());
            } else {
                frontier.addFirst(best);
                break;
            }
        }
        Memo next = new Memo(SCORING, memo.round(), frontier, List.of(), List.of(), memo.expanded(), solved,
                memo.emptyRounds(), null);
        if (solved.size() >= opt.solutions()) {
            return wrapUp(s, next, solved.size() + (solved.size() == 1 ? " solution" : " solutions") + " popped after "
                    + memo.expanded() + " expansions");
        }
        if (toExpand.isEmpty()) {
            return wrapUp(s, next, frontier.isEmpty() ? "the frontier ran empty after " + memo.expanded()
                    + " expansions" : "the expansion limit of " + opt.maxExpansions() + " was reached");
        }
        return expand(s, opt, next, toExpand);
    }

    /** f = depthWeight × steps + (1 − PRM score); an unscored node costs as its parent, else as a coin's 0.5. */
    private static double cost(Search s, Options opt, UUID id) {
        RunState.Candidate c = s.candidate(id);
        Double score = s.prmScore(id);
        if (score == null && c.parentId() != null && s.byId().containsKey(c.parentId())) {
            score = s.prmScore(c.parentId());
        }
        double h = 1 - (score == null ? 0.5 : score);
        return opt.depthWeight() * Stepwise.depth(c.text()) + h;
    }

    private static List<Node> sorted(List<Node> nodes) {
        List<Node> out = new ArrayList<>(nodes);
        out.sort(Comparator.comparingDouble(Node::f));
        return out;
    }

    private static Memo withFrontier(Memo memo, List<Node> frontier) {
        return new Memo(memo.phase(), memo.round(), sorted(frontier), List.of(), List.of(), memo.expanded(),
                memo.solved(), memo.emptyRounds(), null);
    }

    /**
     * Ends the search: the popped solutions are the pool, and when there are none the cheapest complete node on the
     * frontier joins it, else the cheapest partial is completed.
     */
    private List<Action> wrapUp(Search s, Memo memo, String why) {
        List<UUID> pool = new ArrayList<>(memo.solved());
        List<UUID> partials = new ArrayList<>();
        for (Node node : memo.frontier()) {
            if (!s.candidate(node.id()).complete()) {
                partials.add(node.id());
            } else if (pool.isEmpty()) {
                pool.add(node.id());
            }
        }
        String summary = String.format(Locale.ROOT, "%s; frontier %d", why, memo.frontier().size());
        return wrapped(memo, Wrapup.begin(s, s.room(), pool, partials, false, summary));
    }

    private static List<Action> wrapped(Memo memo, Wrapup.Step step) {
        if (step.state() == null) {
            return step.actions();
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(new Memo(WRAPPING_UP, memo.round(), memo.frontier(), List.of(), List.of(),
                memo.expanded(), memo.solved(), memo.emptyRounds(), step.state())));
        actions.addAll(step.actions());
        return actions;
    }
}
