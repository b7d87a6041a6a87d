package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.orchestrator.strategies.Costs.Bound;
import dev.verigen.orchestrator.strategies.stepwise.Search;
import dev.verigen.orchestrator.strategies.stepwise.Weights;
import dev.verigen.orchestrator.strategies.stepwise.Wrapup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Particle filtering over partial solutions (Puri et al. 2025), with entropic annealing (Giannone et al. 2025).
 *
 * <p>{@code pipeline.n} particles start as first steps. Each round advances every unfinished particle by one step
 * (one job per distinct partial, asking for as many steps as particles share it), PRM-scores the new steps, weighs
 * all particles by a softmax of their scores (finished ones keep theirs) and resamples {@code n} particles by weight
 * with seeded systematic resampling. When the weights collapse, annealing flattens them (see {@link Weights}). The
 * filter stops when every particle is complete, at the step limit (the partials left are then completed), or when the
 * budget runs out; the answer is chosen among every complete particle it produced as {@link Wrapup} ranks them.
 */
@Component
public class ParticleFilter implements Strategy {

    public static final String NAME = "particle_filter";
    static final Set<String> OPTIONS = Set.of("temperature", "anneal", "essThreshold", "maxSteps", "prm", "weights",
            "lookahead", "lookaheadWeight");
    static final String LOGIT = "logit";
    static final String SCORE = "score";

    static final String EXPANDING = "EXPANDING";
    static final String LOOKING_AHEAD = "LOOKING_AHEAD";
    static final String SCORING = "SCORING";
    static final String WRAPPING_UP = "WRAPPING_UP";
    /** How often a round whose every job failed is tried again before the filter ends with what it has. */
    static final int RETRIES = 2;

    /**
     * @param temperature  the softmax temperature of the weights (before annealing)
     * @param anneal       raise the temperature when the weights collapse
     * @param essThreshold annealing starts when the effective sample size falls below this fraction of the particles
     * @param weights      {@code logit}: weigh by the log-odds of the PRM score; {@code score}: by the score itself
     * @param lookahead    look-ahead modulation (ePF's LaM): roll each new step one more greedy step, score the
     *                     roll-out, and let it modulate the particle's weight
     * @param lookaheadWeight how much the roll-out's score counts against the step's own (0..1)
     */
    public record Options(double temperature, boolean anneal, double essThreshold, int maxSteps, String prm,
                          String weights, boolean lookahead, double lookaheadWeight) {

        public Options(double temperature, boolean anneal, double essThreshold, int maxSteps, String prm,
                       String weights) {
            this(temperature, anneal, essThreshold, maxSteps, prm, weights, false, 0.5);
        }
    }

    /** A new step's greedy one-step roll-out, whose score modulates the step's weight. */
    public record Rollout(UUID step, UUID tip) {
    }

    /** A generation of this round: {@code count} next steps of {@code parent} (null: first steps). */
    public record Ask(String label, UUID parent, int count) {
    }

    /**
     * @param particles   the population, one candidate id per particle (ids repeat after resampling)
     * @param kept        every complete particle seen, in order: the answer is chosen among them
     * @param temperature the temperature of the last resampling, annealing included
     * @param ess         the effective sample size of the last resampling's weights
     * @param anneals     how many rounds annealing raised the temperature
     * @param emptyRounds rounds in a row whose every job failed (the filter retries {@link #RETRIES} times)
     * @param fresh       this round's new steps (look-ahead only)
     * @param rollouts    the look-ahead roll-outs of this round's new steps
     */
    public record Memo(String phase, int round, List<UUID> particles, List<UUID> kept, List<Ask> asked,
                       double temperature, double ess, int anneals, int emptyRounds, Wrapup.State wrapup,
                       List<UUID> fresh, List<Rollout> rollouts) {
        public Memo {
            fresh = fresh == null ? List.of() : List.copyOf(fresh);
            rollouts = rollouts == null ? List.of() : List.copyOf(rollouts);
        }

        public Memo(String phase, int round, List<UUID> particles, List<UUID> kept, List<Ask> asked,
                    double temperature, double ess, int anneals, int emptyRounds, Wrapup.State wrapup) {
            this(phase, round, particles, kept, asked, temperature, ess, anneals, emptyRounds, wrapup, List.of(),
                    List.of());
        }

        Memo next(String phase, List<UUID> particles, List<UUID> kept, List<Ask> asked) {
            return new Memo(phase, round, particles, kept, asked, temperature, ess, anneals, emptyRounds, wrapup,
                    fresh, rollouts);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        o.onlyKnown(OPTIONS);
        double temperature = o.decimal("temperature", 0.01, 100, 1.0);
        boolean anneal = o.bool("anneal", true);
        double essThreshold = o.decimal("essThreshold", 0, 1, 0.5);
        int maxSteps = o.integer("maxSteps", 1, 256, 16);
        String prm = Search.prmOption(o);
        String weights = o.choice("weights", Set.of(LOGIT, SCORE), LOGIT);
        boolean lookahead = o.bool("lookahead", false);
        double lookaheadWeight = o.decimal("lookaheadWeight", 0, 1, 0.5);
        return new Options(temperature, anneal, essThreshold, maxSteps, prm, weights, lookahead, lookaheadWeight);
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
            return expand(s, opt, new Memo(EXPANDING, 0, List.of(), List.of(), List.of(), opt.temperature(),
                    state.spec().n(), 0, 0, null));
        }
        Memo memo = state.memo(Memo.class).orElse(null);
        if (memo == null) {
            return List.of(new Action.Fail("strategy_error", NAME + " lost its bookkeeping"));
        }
        return switch (memo.phase()) {
            case EXPANDING -> expanded(s, opt, memo);
            case LOOKING_AHEAD -> lookedAhead(s, opt, memo);
            case SCORING -> resample(s, opt, memo);
            case WRAPPING_UP -> wrapped(memo, Wrapup.resume(s, s.room(), memo.wrapup()));
            default -> List.of(new Action.Fail("strategy_error", "unknown phase " + memo.phase()));
        };
    }

    /** Asks for the next round's steps: one job per distinct unfinished particle, best first as the budget allows. */
    private List<Action> expand(Search s, Options opt, Memo memo) {
        int round = memo.round() + 1;
        Map<UUID, Integer> shares = new LinkedHashMap<>();
        boolean first = memo.particles().isEmpty();
        if (first) {
            shares.put(null, s.state().spec().n());
        }
        for (UUID p : memo.particles()) {
            if (!s.candidate(p).complete()) {
                shares.merge(p, 1, Integer::sum);
            }
        }
        List<UUID> order = first ? new ArrayList<>(shares.keySet()) : s.byScore(List.copyOf(shares.keySet()));
        Headroom room = s.room()
                .less(s.completionReserve(order.stream().map(s::text).toList()));
        List<Action> actions = new ArrayList<>();
        List<Ask> asked = new ArrayList<>();
        for (UUID parent : order) {
            String text = s.text(parent);
            Bound upkeep = s.scoringUpkeep(text, 1);
            int n = shares.get(parent);
            while (n > 0 && !room.affords(s.generation(text, n).plus(upkeep.times(n)))) {
                n--;
            }
            if (n == 0) {
                break;
            }
            room.pay(s.generation(text, n).plus(upkeep.times(n)));
            String label = "r" + round + "/p" + asked.size();
            actions.add(parent == null
                    ? new Action.Generate(label, Role.GENERATE, null, null, n, null, null, null, false, true)
                    : Action.Generate.nextStep(label, parent, n));
            asked.add(new Ask(label, parent, n));
        }
        if (actions.isEmpty()) {
            if (first && memo.kept().isEmpty()) {
                return List.of(new Action.Fail("budget_exhausted", NAME + ": the budget cannot pay for a first step "
                        + "and the completion of one solution"));
            }
            return wrapUp(s, memo, false, "the budget ran out after " + memo.round() + " rounds");
        }
        actions.addFirst(new Action.Remember(new Memo(EXPANDING, round, memo.particles(), memo.kept(), asked,
                memo.temperature(), memo.ess(), memo.anneals(), memo.emptyRounds(), null)));
        return actions;
    }

    /** Every particle that was advanced becomes one of its parent's new steps; then the new steps are scored. */
    private List<Action> expanded(Search s, Options opt, Memo memo) {
        Map<UUID, ArrayDeque<UUID>> byParent = new HashMap<>();
        List<UUID> fresh = new ArrayList<>();
        List<UUID> particles = new ArrayList<>();
        for (Ask ask : memo.asked()) {
            for (RunState.Candidate c : s.children(ask.label())) {
                fresh.add(c.id());
                if (ask.parent() == null) {
                    particles.add(c.id()); // first steps: the population starts
                } else {
                    byParent.computeIfAbsent(ask.parent(), k -> new ArrayDeque<>()).add(c.id());
                }
            }
        }
        for (UUID p : memo.particles()) {
            ArrayDeque<UUID> steps = byParent.get(p);
            particles.add(steps == null || steps.isEmpty() ? p : steps.poll());
        }
        if (fresh.isEmpty()) {
            // every job of the round failed: try the round again (new labels, new samples) before giving up
            Memo idle = new Memo(SCORING, memo.round(), particles, memo.kept(), List.of(), memo.temperature(),
                    memo.ess(), memo.anneals(), memo.emptyRounds() + 1, null);
            if (memo.emptyRounds() < RETRIES && memo.round() < opt.maxSteps()) {
                return expand(s, opt, idle);
            }
            return wrapUp(s, idle, false, "round " + memo.round() + " produced nothing");
        }
        Memo next = new Memo(SCORING, memo.round(), particles, memo.kept(), List.of(), memo.temperature(), memo.ess(),
                memo.anneals(), 0, null, fresh, List.of());
        if (opt.lookahead()) {
            return lookAhead(s, opt, next);
        }
        return score(s, opt, next, fresh);
    }

    /** PRM-scores the round's new steps (and their roll-outs); unaffordable scoring is skipped. */
    private List<Action> score(Search s, Options opt, Memo memo, List<UUID> texts) {
        Memo next = memo.next(SCORING, memo.particles(), memo.kept(), List.of());
        Headroom room = s.room()
                .less(s.completionReserve(memo.particles().stream().map(s::text).toList()));
        if (texts.isEmpty() || !room.pay(s.scoring(opt.prm(), texts.stream().map(s::text).toList()))) {
            return resample(s, opt, next); // unscored steps weigh as their parents did
        }
        return List.of(new Action.Remember(next), new Action.Score(texts, opt.prm()));
    }

    /**
     * Look-ahead modulation (ePF's LaM): each new unfinished step is rolled out one more greedy step (temperature 0),
     * as far as the budget goes once the scoring of the steps and their roll-outs and a completion are set aside. The
     * roll-out is scored, never kept: it only tells how the step is likely to go on.
     */
    private List<Action> lookAhead(Search s, Options opt, Memo memo) {
        Bound keep = s.completionReserve(memo.particles().stream().map(s::text).toList());
        for (UUID step : memo.fresh()) {
            keep = keep.plus(s.scoringUpkeep(s.text(step), 1).times(2));
        }
        Headroom room = s.room().less(keep);
        List<Action> gens = new ArrayList<>();
        List<Ask> asked = new ArrayList<>();
        for (UUID step : memo.fresh()) {
            if (s.candidate(step).complete() || !room.pay(s.generation(s.text(step), 1))) {
                continue;
            }
            String label = "r" + memo.round() + "/la" + asked.size();
            gens.add(Action.Generate.nextStep(label, step, 1).withTemperature(0.0));
            asked.add(new Ask(label, step, 1));
        }
        if (gens.isEmpty()) {
            return score(s, opt, memo, memo.fresh());
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(memo.next(LOOKING_AHEAD, memo.particles(), memo.kept(), asked)));
        actions.addAll(gens);
        return actions;
    }

    private List<Action> lookedAhead(Search s, Options opt, Memo memo) {
        List<Rollout> rollouts = new ArrayList<>();
        List<UUID> texts = new ArrayList<>(memo.fresh());
        for (Ask ask : memo.asked()) {
            List<RunState.Candidate> rolled = s.children(ask.label());
            if (!rolled.isEmpty()) {
                rollouts.add(new Rollout(ask.parent(), rolled.getFirst().id()));
                texts.add(rolled.getFirst().id());
            }
        }
        Memo next = new Memo(SCORING, memo.round(), memo.particles(), memo.kept(), List.of(), memo.temperature(),
                memo.ess(), memo.anneals(), memo.emptyRounds(), null, memo.fresh(), rollouts);
        return score(s, opt, next, texts);
    }

    /** Weighs the particles, anneals when the weights collapsed, resamples, and decides whether to go on. */
    private List<Action> resample(Search s, Options opt, Memo memo) {
        List<UUID> population = memo.particles();
        LinkedHashSet<UUID> kept = new LinkedHashSet<>(memo.kept());
        population.stream().filter(id -> s.candidate(id).complete()).forEach(kept::add);
        Memo judged = memo.next(SCORING, population, List.copyOf(kept), List.of());
        if (population.stream().allMatch(id -> s.candidate(id).complete())) {
            return wrapUp(s, judged, false, memo.round() + " rounds, every particle complete");
        }
        java.util.Map<UUID, UUID> tips = new HashMap<>();
        memo.rollouts().forEach(r -> tips.put(r.step(), r.tip()));
        double[] scores = population.stream().mapToDouble(id -> modulated(s, opt, id, tips.get(id))).toArray();
        Weights.Result w = Weights.compute(scores, opt.temperature(), LOGIT.equals(opt.weights()), opt.anneal(),
                opt.essThreshold(), memo.round(), opt.maxSteps());
        int[] picks = Weights.systematic(w.weights(), population.size(), seed(s.state(), memo.round()));
        List<UUID> resampled = new ArrayList<>(picks.length);
        for (int i : picks) {
            resampled.add(population.get(i));
        }
        Memo next = new Memo(SCORING, memo.round(), resampled, List.copyOf(kept), List.of(), w.temperature(), w.ess(),
                memo.anneals() + (w.annealed() ? 1 : 0), 0, null);
        if (resampled.stream().allMatch(id -> s.candidate(id).complete())) {
            return wrapUp(s, next, false, memo.round() + " rounds, every particle complete");
        }
        if (memo.round() >= opt.maxSteps()) {
            return wrapUp(s, next, true, "step limit of " + opt.maxSteps() + " rounds reached");
        }
        return expand(s, opt, next);
    }

    /**
     * Look-ahead modulation: the particle's score moved toward its roll-out's, on the log-odds scale, by
     * {@code lookaheadWeight} — a step whose natural continuation scores well gains weight, one that is about to go
     * wrong loses it before it is resampled. Without a scored roll-out, the particle's own score.
     */
    private static double modulated(Search s, Options opt, UUID id, UUID tip) {
        double own = score(s, id);
        Double ahead = tip == null ? null : s.prmScore(tip);
        if (ahead == null || !opt.lookahead()) {
            return own;
        }
        double logit = (1 - opt.lookaheadWeight()) * Weights.logit(own) + opt.lookaheadWeight() * Weights.logit(ahead);
        return 1 / (1 + Math.exp(-logit));
    }

    /** A particle's PRM score; a step whose scoring failed weighs as its parent did, else as an even 0.5. */
    private static double score(Search s, UUID id) {
        Double own = s.prmScore(id);
        if (own != null) {
            return own;
        }
        UUID parent = s.candidate(id).parentId();
        Double inherited = parent == null || !s.byId().containsKey(parent) ? null : s.prmScore(parent);
        return inherited != null ? inherited : 0.5;
    }

    /** The resampling seed of a round: the run's seed and the round, so a replay resamples the same way. */
    static long seed(RunState state, int round) {
        long base = state.spec().sampling().seed() == null ? 0 : state.spec().sampling().seed();
        return base ^ (0x9e3779b97f4a7c15L * (round + 1L));
    }

    private List<Action> wrapUp(Search s, Memo memo, boolean completeAll, String why) {
        List<UUID> partials = s.byScore(memo.particles().stream().distinct()
                .filter(id -> !s.candidate(id).complete()).toList());
        String summary = why + (memo.anneals() > 0 ? "; annealed " + memo.anneals() + " times" : "");
        return wrapped(memo, Wrapup.begin(s, s.room(), memo.kept(), partials, completeAll,
                summary));
    }

    private static List<Action> wrapped(Memo memo, Wrapup.Step step) {
        if (step.state() == null) {
            return step.actions();
        }
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(new Memo(WRAPPING_UP, memo.round(), memo.particles(), memo.kept(), List.of(),
                memo.temperature(), memo.ess(), memo.anneals(), memo.emptyRounds(), step.state())));
        actions.addAll(step.actions());
        return actions;
    }
}
