package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.orchestrator.strategies.Costs.Bound;
import dev.verigen.orchestrator.strategies.stepwise.Search;
import dev.verigen.orchestrator.strategies.stepwise.Wrapup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Step-wise beam search guided by a process reward model (Snell et al. 2024; HuggingFace search-and-learn).
 *
 * <p>Each round expands every active beam by {@code expansions} one-step continuations, PRM-scores them (after an
 * optional greedy look-ahead roll-out, whose text is scored but not kept) and keeps the best {@code beamWidth} of all
 * the children. A child that completes the solution takes its slot for good; the search stops when every slot holds
 * a complete solution, no beam is left, or the step limit is reached (the beams left are then completed in one go).
 * With {@code dvts} the beams become {@code beamWidth} independent subtrees of width one (diverse verifier tree
 * search), each expanded {@code expansions} ways a round: the same samples per round, more diverse answers.
 *
 * <p>{@code pipeline.n} is not used: a round asks for {@code beamWidth × expansions} steps.
 */
@Component
public class BeamSearch implements Strategy {

    public static final String NAME = "beam_search";
    static final Set<String> OPTIONS = Set.of("beamWidth", "expansions", "maxSteps", "lookahead", "prm", "dvts");
    static final int MAX_ROUND_SAMPLES = 256;
    /** How often a round whose every job failed is tried again before the search ends with what it has. */
    static final int RETRIES = 2;

    static final String EXPANDING = "EXPANDING";
    static final String LOOKING_AHEAD = "LOOKING_AHEAD";
    static final String SCORING = "SCORING";
    static final String WRAPPING_UP = "WRAPPING_UP";

    /**
     * @param beamWidth  beams kept (M); with dvts, the number of subtrees
     * @param expansions next steps sampled per beam and round (k)
     * @param maxSteps   the most expansion rounds
     * @param lookahead  greedy steps rolled out past each new step before it is scored
     * @param prm        the scorer of partial solutions
     */
    public record Options(int beamWidth, int expansions, int maxSteps, int lookahead, String prm, boolean dvts) {
    }

    /** A subtree: {@code width} slots, its active beams (best first) and the complete solutions it collected. */
    public record Group(int width, boolean fresh, List<UUID> beams, List<UUID> collected) {
        boolean active() {
            return fresh || !beams.isEmpty();
        }
    }

    /** A generation asked for in the current phase and whom its samples belong to (group, or child ordinal). */
    public record Ask(String label, int owner) {
    }

    /** A child of this round, the text scored for it ({@code tip}: itself or its look-ahead roll-out). */
    public record Child(UUID id, int group, UUID tip, boolean rolling) {
    }

    /**
     * @param emptyRounds rounds in a row whose every expansion failed (the search retries {@link #RETRIES} times)
     */
    public record Memo(String phase, int round, List<Group> groups, List<Ask> asked, List<Child> children,
                       int lookaheadStep, int emptyRounds, Wrapup.State wrapup) {
        Memo with(String phase, List<Ask> asked, List<Child> children, int lookaheadStep) {
            return new Memo(phase, round, groups, asked, children, lookaheadStep, emptyRounds, wrapup);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        return readOptions(o, null);
    }

    /** @param dvts the variant a named strategy fixes, or null when the {@code dvts} option chooses */
    protected Options readOptions(StrategyOptions o, Boolean dvts) {
        if (dvts == null) {
            o.onlyKnown(OPTIONS);
        } else {
            o.onlyKnown(OPTIONS.stream().filter(f -> !f.equals("dvts")).collect(Collectors.toSet()));
        }
        int width = o.integer("beamWidth", 1, 64, 4);
        int k = o.integer("expansions", 1, 64, 4);
        int maxSteps = o.integer("maxSteps", 1, 256, 16);
        int lookahead = o.integer("lookahead", 0, 8, 0);
        String prm = Search.prmOption(o);
        boolean variant = dvts != null ? dvts : o.bool("dvts", false);
        if (width * k > MAX_ROUND_SAMPLES) {
            o.reject("expansions", "beamWidth × expansions (the steps sampled a round) must be at most "
                    + MAX_ROUND_SAMPLES + "; it is " + width * k);
        }
        return new Options(width, k, maxSteps, lookahead, prm, variant);
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        if (event instanceof RunEvent.Progressed) {
            return List.of(); // never asks for progress
        }
        if (event instanceof RunEvent.StepFinished && state.pendingSteps() > 0) {
            return List.of(); // a phase moves on only when all of its jobs are back
        }
        Options opt = state.spec().options(Options.class);
        Search s = Search.of(state, opt.prm(), name());
        if (event instanceof RunEvent.Started) {
            List<Group> groups = opt.dvts()
                    ? Collections.nCopies(opt.beamWidth(), new Group(1, true, List.of(), List.of()))
                    : List.of(new Group(opt.beamWidth(), true, List.of(), List.of()));
            return expand(s, opt, groups, 1, 0);
        }
        Memo memo = state.memo(Memo.class).orElse(null);
        if (memo == null) {
            return List.of(new Action.Fail("strategy_error", name() + " lost its bookkeeping"));
        }
        return switch (memo.phase()) {
            case EXPANDING -> expanded(s, opt, memo);
            case LOOKING_AHEAD -> lookedAhead(s, opt, memo);
            case SCORING -> select(s, opt, memo);
            case WRAPPING_UP -> wrapped(s, memo, Wrapup.resume(s, s.room(), memo.wrapup()));
            default -> List.of(new Action.Fail("strategy_error", "unknown phase " + memo.phase()));
        };
    }

    /** Asks for round {@code round}'s steps, as many as the budget can pay for with what they will need after. */
    private List<Action> expand(Search s, Options opt, List<Group> groups, int round, int emptyRounds) {
        record Item(int group, UUID parent, int wanted) {
        }
        List<Item> items = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            if (group.fresh()) {
                items.add(new Item(g, null, group.width() * opt.expansions()));
            }
            for (UUID beam : group.beams()) {
                items.add(new Item(g, beam, opt.expansions()));
                texts.add(s.text(beam));
            }
        }
        // the most promising beams are expanded first when the budget cannot pay for all of them
        items.sort(Comparator.comparingDouble((Item i) -> i.parent() == null ? Double.POSITIVE_INFINITY
                : s.prmScore(i.parent()) == null ? Double.NEGATIVE_INFINITY : s.prmScore(i.parent())).reversed());
        Headroom room = s.room().less(s.completionReserve(texts));
        List<Action> gens = new ArrayList<>();
        List<Ask> asked = new ArrayList<>();
        for (Item item : items) {
            String parent = s.text(item.parent());
            // look-ahead roll-outs are not planned for: they are best effort, paid as they are asked for
            Bound upkeep = s.scoringUpkeep(parent, 1 + opt.lookahead());
            int n = item.wanted();
            while (n > 0 && !room.affords(s.generation(parent, n).plus(upkeep.times(n)))) {
                n--;
            }
            if (n == 0) {
                break;
            }
            room.pay(s.generation(parent, n).plus(upkeep.times(n)));
            String label = "r" + round + "/g" + item.group() + "/b" + asked.size();
            gens.add(item.parent() == null
                    ? new Action.Generate(label, Role.GENERATE, null, null, n, null, null, null, false, true)
                    : Action.Generate.nextStep(label, item.parent(), n));
            asked.add(new Ask(label, item.group()));
        }
        if (gens.isEmpty()) {
            if (round == 1) {
                Bound least = s.generation("", 1).plus(s.completionReserve(List.of()));
                return List.of(new Action.Fail("budget_exhausted", name() + ": the budget cannot pay for a first step "
                        + "and the completion of one solution (about " + least.tokens() + " tokens, "
                        + String.format(Locale.ROOT, "%.3g", least.flops()) + " FLOPs)"));
            }
            return wrapUp(s, new Memo(EXPANDING, round - 1, groups, List.of(), List.of(), 0, emptyRounds, null),
                    false, "the budget ran out after " + (round - 1) + " rounds");
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(new Memo(EXPANDING, round, groups, asked, List.of(), 0, emptyRounds, null)));
        actions.addAll(gens);
        return actions;
    }

    private List<Action> expanded(Search s, Options opt, Memo memo) {
        List<Child> children = new ArrayList<>();
        for (Ask ask : memo.asked()) {
            for (RunState.Candidate c : s.children(ask.label())) {
                children.add(new Child(c.id(), ask.owner(), c.id(), !c.complete()));
            }
        }
        if (children.isEmpty()) {
            // every job of the round failed: try the round again (new labels, new samples) before giving up
            if (memo.emptyRounds() < RETRIES && memo.round() < opt.maxSteps()) {
                return expand(s, opt, memo.groups(), memo.round() + 1, memo.emptyRounds() + 1);
            }
            return wrapUp(s, memo, false, "round " + memo.round() + " produced nothing");
        }
        Memo next = memo.with(EXPANDING, List.of(), children, 0);
        return opt.lookahead() > 0 ? lookAhead(s, opt, next, 1) : score(s, opt, next);
    }

    /**
     * Rolls every unfinished child's text one more greedy step (temperature 0), as far as the budget goes once the
     * children's scoring and a completion are set aside.
     */
    private List<Action> lookAhead(Search s, Options opt, Memo memo, int step) {
        Bound keep = s.completionReserve(memo.children().stream().map(c -> s.text(c.id())).toList());
        for (Child c : memo.children()) {
            keep = keep.plus(s.scoringUpkeep(s.text(c.tip()), 1 + opt.lookahead() - step));
        }
        Headroom room = s.room().less(keep);
        List<Child> children = new ArrayList<>();
        List<Action> gens = new ArrayList<>();
        List<Ask> asked = new ArrayList<>();
        for (int j = 0; j < memo.children().size(); j++) {
            Child child = memo.children().get(j);
            boolean rolling = child.rolling() && room.pay(s.generation(s.text(child.tip()), 1));
            if (rolling) {
                String label = "r" + memo.round() + "/c" + j + "/la" + step;
                gens.add(Action.Generate.nextStep(label, child.tip(), 1).withTemperature(0.0));
                asked.add(new Ask(label, j));
            }
            children.add(new Child(child.id(), child.group(), child.tip(), rolling));
        }
        Memo next = memo.with(LOOKING_AHEAD, asked, children, step);
        if (gens.isEmpty()) {
            return score(s, opt, next);
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(next));
        actions.addAll(gens);
        return actions;
    }

    private List<Action> lookedAhead(Search s, Options opt, Memo memo) {
        List<Child> children = new ArrayList<>(memo.children());
        for (int j = 0; j < children.size(); j++) {
            Child c = children.get(j);
            children.set(j, new Child(c.id(), c.group(), c.tip(), false));
        }
        for (Ask ask : memo.asked()) {
            Child c = children.get(ask.owner());
            List<RunState.Candidate> rolled = s.children(ask.label());
            if (!rolled.isEmpty()) {
                children.set(ask.owner(), new Child(c.id(), c.group(), rolled.get(0).id(), !rolled.get(0).complete()));
            }
        }
        Memo next = memo.with(LOOKING_AHEAD, List.of(), children, memo.lookaheadStep());
        boolean more = memo.lookaheadStep() < opt.lookahead() && children.stream().anyMatch(Child::rolling);
        return more ? lookAhead(s, opt, next, memo.lookaheadStep() + 1) : score(s, opt, next);
    }

    /** PRM-scores each child's text (its roll-out's, after a look-ahead); unaffordable scoring is skipped. */
    private List<Action> score(Search s, Options opt, Memo memo) {
        List<UUID> tips = memo.children().stream().map(Child::tip).distinct()
                .filter(id -> s.prmScore(id) == null).toList();
        Memo next = memo.with(SCORING, List.of(), memo.children(), memo.lookaheadStep());
        Headroom room = s.room()
                .less(s.completionReserve(memo.children().stream().map(c -> s.text(c.id())).toList()));
        if (tips.isEmpty() || !room.pay(s.scoring(s.prm(), tips.stream().map(s::text).toList()))) {
            return select(s, opt, next);
        }
        return List.of(new Action.Remember(next), new Action.Score(tips, s.prm()));
    }

    /** Keeps each group's best children: complete ones take their slot for good, the others are its new beams. */
    private List<Action> select(Search s, Options opt, Memo memo) {
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < memo.groups().size(); g++) {
            Group group = memo.groups().get(g);
            int owner = g;
            List<Child> kids = memo.children().stream().filter(c -> c.group() == owner).toList();
            if (kids.isEmpty()) {
                groups.add(group); // its expansion failed or was not affordable: it keeps its beams
                continue;
            }
            List<Child> ranked = new ArrayList<>(kids);
            ranked.sort(Comparator.comparingDouble((Child c) -> {
                Double score = s.prmScore(c.tip());
                return score == null ? Double.NEGATIVE_INFINITY : score;
            }).reversed());
            List<Child> kept = ranked.subList(0, Math.min(ranked.size(), group.width() - group.collected().size()));
            List<UUID> collected = new ArrayList<>(group.collected());
            List<UUID> beams = new ArrayList<>();
            for (Child c : kept) {
                (s.candidate(c.id()).complete() ? collected : beams).add(c.id());
            }
            groups.add(new Group(group.width(), false, beams, collected));
        }
        Memo next = new Memo(SCORING, memo.round(), groups, List.of(), List.of(), 0, 0, null);
        if (groups.stream().noneMatch(Group::active)) {
            return wrapUp(s, next, false, memo.round() + " rounds, every beam complete");
        }
        if (memo.round() >= opt.maxSteps()) {
            return wrapUp(s, next, true, "step limit of " + opt.maxSteps() + " rounds reached");
        }
        return expand(s, opt, groups, memo.round() + 1, 0);
    }

    private List<Action> wrapUp(Search s, Memo memo, boolean completeAll, String why) {
        List<UUID> pool = memo.groups().stream().flatMap(g -> g.collected().stream()).toList();
        List<UUID> partials = s.byScore(memo.groups().stream().flatMap(g -> g.beams().stream()).toList());
        return wrapped(s, memo, Wrapup.begin(s, s.room(), pool, partials, completeAll, why));
    }

    private static List<Action> wrapped(Search s, Memo memo, Wrapup.Step step) {
        if (step.state() == null) {
            return step.actions();
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(new Memo(WRAPPING_UP, memo.round(), memo.groups(), List.of(), List.of(), 0,
                memo.emptyRounds(), step.state())));
        actions.addAll(step.actions());
        return actions;
    }
}
