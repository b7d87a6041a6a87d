package dev.verigen.orchestrator.strategies.sampling;

import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Mid-generation pruning (after "Adaptive Inference-Time Compute: LLMs Can Predict if They Can Do Better, Even
 * Mid-Generation", Manvi et al. 2024, where the model's own self-evaluation plays the scorer): all n samples start at
 * once, one job each, reporting their text at {@code at} tokens. Once every sample has reached that checkpoint (or
 * finished before it), the snapshots are scored by {@code scorer} and only the best {@code keep} share of the n
 * samples runs on; the others are stopped at the workers, which bill only the tokens generated so far. The answer is
 * chosen among the finished samples as best-of-N chooses.
 *
 * <p>A backend that reports no progress leaves nothing to prune: the checkpoint then passes only when every sample
 * has finished. A sample shorter than the checkpoint is kept (it is done). Scoring the snapshots is skipped when the
 * budget cannot pay for it, and then nothing is pruned.
 */
public final class Prune {

    public static final String FIELD = "prune";
    /** The label of the snapshots' scoring step, so its result is told from the answers' scoring. */
    static final String CHECKPOINT = "prune/checkpoint";
    static final String SAMPLING = "SAMPLING";
    static final String SCORING = "SCORING";
    static final String PRUNED = "PRUNED";

    /**
     * @param at     the checkpoint, in generated tokens
     * @param keep   the share of the n samples that runs on past it (at least one)
     * @param scorer what scores the snapshots (a reward model, PRM or judge); the run's reward model by default
     */
    public record Settings(int at, double keep, String scorer) {
    }

    /**
     * @param phase   {@code SAMPLING} (before the checkpoint), {@code SCORING} (snapshots being scored),
     *                {@code PRUNED}
     * @param scored  the snapshots sent for scoring
     * @param stopped the labels of the samples stopped at the checkpoint
     * @param note    what happened at the checkpoint, for the answer's reason
     */
    public record Memo(String phase, List<UUID> scored, List<String> stopped, String note) {
    }

    private final Settings settings;
    private final Batches.Plan plan;
    private final Batches.Ending ending;

    public Prune(Settings settings, Batches.Plan plan, Batches.Ending ending) {
        this.settings = settings;
        this.plan = plan;
        this.ending = ending;
    }

    /**
     * Reads {@code pipeline.options.prune}: absent, null or false is off; true takes the defaults; an object may set
     * {@code at} (1..4096 tokens, default 32), {@code keep} (0..1, default 0.25) and {@code scorer}.
     */
    public static Settings read(StrategyOptions options) {
        JsonNode node = options.raw(FIELD);
        String path = StrategyOptions.path(FIELD);
        if (node == null || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
            return null;
        }
        var fields = options.fields();
        Long at = null;
        Double keep = null;
        String scorer = options.base().rewardModel();
        if (node.isObject()) {
            fields.onlyKnown(node, path, Set.of("at", "keep", "scorer"));
            at = fields.integer(node, "at", path + ".at", 1, 4096);
            keep = fields.decimal(node, "keep", path + ".keep", 0.001, 1);
            String named = fields.text(node, "scorer", path + ".scorer", false, 128);
            if (named != null && !options.scorers().contains(named.split(":", 2)[0])) {
                fields.reject(path + ".scorer", "unknown reward model '" + named + "'; available: "
                        + new java.util.TreeSet<>(options.scorers()));
            } else if (named != null) {
                scorer = named;
            }
        } else if (!node.isBoolean()) {
            options.reject(FIELD, "must be true, false or an object {\"at\": tokens, \"keep\": share, \"scorer\": name}");
            return null;
        }
        if (scorer == null) {
            fields.reject(path + ".scorer", "pruning scores partial samples: set prune.scorer (e.g. \"sim-prm:last\") "
                    + "or pipeline.rewardModel");
        }
        return new Settings(at == null ? 32 : at.intValue(), keep == null ? 0.25 : keep, scorer);
    }

    public List<Action> decide(RunState state, RunEvent event) {
        Memo memo = state.memo(Memo.class).orElse(new Memo(SAMPLING, List.of(), List.of(), ""));
        return switch (event) {
            case RunEvent.Started started -> {
                List<Action> jobs = new ArrayList<>(Batches.startEach(state, plan, settings.at()));
                if (jobs.stream().anyMatch(a -> a instanceof Action.Fail)) {
                    yield jobs;
                }
                jobs.add(new Action.Remember(memo));
                yield jobs;
            }
            case RunEvent.Progressed progressed -> SAMPLING.equals(memo.phase()) ? checkpoint(state, memo) : List.of();
            case RunEvent.StepFinished finished -> afterStep(state, finished, memo);
        };
    }

    private List<Action> afterStep(RunState state, RunEvent.StepFinished event, Memo memo) {
        if (SCORING.equals(memo.phase()) && event.kind() == StepKind.SCORING && CHECKPOINT.equals(event.label())) {
            return prune(state, memo);
        }
        List<Action> actions = new ArrayList<>(Batches.judge(state, event));
        if (SAMPLING.equals(memo.phase()) && actions.isEmpty()) {
            // a sample that finished (or failed) may be the last one the checkpoint waited for; when it is being
            // judged, the checkpoint waits for that judgement (one scoring reservation per decision)
            actions.addAll(checkpoint(state, memo));
        }
        if (state.pendingSteps() == 0 && actions.stream().allMatch(a -> a instanceof Action.Remember)) {
            // nothing runs and nothing was started: the checkpoint may just have found every sample finished
            String note = actions.stream().map(a -> ((Action.Remember) a).memo()).filter(Memo.class::isInstance)
                    .map(m -> ((Memo) m).note()).reduce((a, b) -> b).orElse(memo.note());
            actions.add(ending.conclude().apply(note));
        }
        return actions;
    }

    /** Once every sample reached the checkpoint or finished: score the snapshots of the ones still running. */
    private List<Action> checkpoint(RunState state, Memo memo) {
        Map<String, RunState.Candidate> latest = state.snapshots().stream()
                .filter(c -> c.completionTokens() >= settings.at())
                .collect(Collectors.toMap(RunState.Candidate::label, c -> c, (a, b) -> b));
        List<RunState.Step> running = running(state);
        if (running.stream().anyMatch(s -> !latest.containsKey(s.label()))) {
            return List.of(); // some sample has not reached the checkpoint yet
        }
        List<UUID> snapshots = running.stream().map(s -> latest.get(s.label()).id()).toList();
        if (snapshots.isEmpty()) {
            return List.of(new Action.Remember(new Memo(PRUNED, List.of(), List.of(),
                    "; prune: every sample finished before its checkpoint at " + settings.at() + " tokens was "
                            + "reached or scored, nothing pruned")));
        }
        List<String> texts = snapshots.stream().map(id -> state.candidate(id).orElseThrow().text()).toList();
        if (!Costs.canAffordScoring(state.budget(), settings.scorer(), state.input().prompt(), texts)) {
            return List.of(new Action.Remember(new Memo(PRUNED, List.of(), List.of(),
                    "; prune: the budget could not pay for scoring the snapshots, nothing pruned")));
        }
        return List.of(new Action.Remember(new Memo(SCORING, snapshots, List.of(), "")),
                new Action.Score(snapshots, settings.scorer(), CHECKPOINT));
    }

    /** Keeps the best-scored running samples (unscored ones count as best) and stops the rest. */
    private List<Action> prune(RunState state, Memo memo) {
        int n = state.steps().stream().filter(s -> s.kind() == StepKind.GENERATION).mapToInt(s -> 1).sum();
        int finished = n - running(state).size();
        int budget = Math.max(1, (int) Math.ceil(settings.keep() * n));
        int keepRunning = Math.max(budget - finished, finished == 0 ? 1 : 0);
        List<RunState.Candidate> ranked = memo.scored().stream().map(id -> state.candidate(id).orElseThrow())
                .sorted(Comparator.comparingDouble((RunState.Candidate c) -> score(c)).reversed()
                        .thenComparingInt(RunState.Candidate::index))
                .toList();
        List<String> stopped = ranked.subList(Math.min(keepRunning, ranked.size()), ranked.size()).stream()
                .map(RunState.Candidate::label).toList();
        List<UUID> stopSteps = running(state).stream().filter(s -> stopped.contains(s.label()))
                .map(RunState.Step::id).toList();
        String note = String.format(Locale.ROOT, "; pruned at %d tokens by %s: %d of %d samples ran on, %d stopped",
                settings.at(), settings.scorer(), n - stopSteps.size(), n, stopSteps.size());
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(new Memo(PRUNED, memo.scored(), stopped, note)));
        if (!stopSteps.isEmpty()) {
            actions.add(new Action.Cancel(stopSteps, "pruned: scored low at " + settings.at() + " tokens"));
        }
        if (state.pendingSteps() - stopSteps.size() == 0) {
            actions.add(ending.conclude().apply(note));
        }
        return actions;
    }

    private double score(RunState.Candidate snapshot) {
        Double s = snapshot.scoreBy(settings.scorer());
        return s == null ? Double.POSITIVE_INFINITY : s;
    }

    private static List<RunState.Step> running(RunState state) {
        return state.steps().stream()
                .filter(s -> s.kind() == StepKind.GENERATION && s.status() == RunState.Step.Status.PENDING)
                .toList();
    }
}
