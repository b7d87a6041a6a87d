package dev.verigen.orchestrator.strategies.archon;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.roles.Allowance;
import dev.verigen.orchestrator.strategies.roles.AnswerRanking;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Runs the layers of an Archon config one after another: a layer's jobs go out together, and when the last
 * of them is in, its output is worked out and the next layer starts (a layer with nothing to do passes its input
 * on in the same decision). After the last layer its candidates are verified and scored where the run has a
 * verifier or reward model, and the best of them by best_of_n's order (the layer's own order breaking ties) is the
 * answer.
 */
public final class ArchonPipeline {

    private final ArchonConfig config;

    public ArchonPipeline(ArchonConfig config) {
        this.config = config;
    }

    public List<Action> decide(RunState state, RunEvent event) {
        if (event instanceof RunEvent.Progressed) {
            return List.of(); // never asks for progress
        }
        if (event instanceof RunEvent.Started) {
            return advance(state, ArchonMemo.start(), 0, new Allowance(state.budget()));
        }
        if (state.pendingSteps() > 0) {
            return List.of();
        }
        ArchonMemo memo = state.memo(ArchonMemo.class).orElse(ArchonMemo.start());
        if (memo.finalizing()) {
            return List.of(finish(state, memo));
        }
        if (memo.layer() < 0) {
            return advance(state, memo, 0, new Allowance(state.budget()));
        }
        ArchonConfig.Layer layer = config.layers().get(memo.layer());
        LayerRunner.Result done = new LayerRunner(state, layer, memo.layer(), memo.inputs(), memo.tests()).finish();
        return advance(state, memo.completed(memo.layer(), layer.name(), done.output(), done.tests()), memo.layer() + 1,
                new Allowance(state.budget()));
    }

    private List<Action> advance(RunState state, ArchonMemo memo, int from, Allowance allowance) {
        for (int i = from; i < config.layers().size(); i++) {
            ArchonConfig.Layer layer = config.layers().get(i);
            List<UUID> inputs = inputs(layer, memo);
            LayerRunner runner = new LayerRunner(state, layer, i, inputs, memo.tests());
            List<Action> work = runner.start(allowance);
            if (!work.isEmpty()) {
                List<Action> actions = new ArrayList<>();
                actions.add(new Action.Remember(memo.running(i, inputs)));
                actions.addAll(work);
                return actions;
            }
            LayerRunner.Result done = runner.finish();
            memo = memo.completed(i, layer.name(), done.output(), done.tests());
        }
        return conclude(state, memo, allowance);
    }

    private static List<UUID> inputs(ArchonConfig.Layer layer, ArchonMemo memo) {
        Set<UUID> union = new LinkedHashSet<>();
        for (String source : layer.from()) {
            union.addAll(memo.outputs().getOrDefault(source, List.of()));
        }
        return List.copyOf(union);
    }

    /** The last layer is done: judge its candidates with the run's verifier and reward model, then answer. */
    private List<Action> conclude(RunState state, ArchonMemo memo, Allowance allowance) {
        // remembered even when the run ends here: the trace reads every layer's output from the memo
        Action remember = new Action.Remember(memo.toFinal());
        List<RunState.Candidate> finalists = finalists(state, memo);
        if (finalists.isEmpty()) {
            return List.of(remember, failure(state));
        }
        List<Action> actions = new ArrayList<>();
        List<UUID> unchecked = finalists.stream().filter(c -> c.verdict() == null).map(RunState.Candidate::id).toList();
        if (!unchecked.isEmpty() && state.spec().verifier() != null && state.input().hasReference()) {
            actions.add(new Action.Verify(unchecked));
        }
        String scorer = state.spec().rewardModel();
        List<RunState.Candidate> unscored = finalists.stream().filter(c -> c.score() == null).toList();
        if (scorer != null && !unscored.isEmpty() && allowance.score(scorer, state.input().prompt(),
                unscored.stream().map(RunState.Candidate::text).toList())) {
            actions.add(new Action.Score(unscored.stream().map(RunState.Candidate::id).toList()));
        }
        if (actions.isEmpty()) {
            return List.of(remember, finish(state, memo));
        }
        actions.addFirst(remember);
        return actions;
    }

    private Action finish(RunState state, ArchonMemo memo) {
        List<RunState.Candidate> finalists = finalists(state, memo);
        if (finalists.isEmpty()) {
            return failure(state);
        }
        List<UUID> order = finalists.stream().map(RunState.Candidate::id).toList();
        RunState.Candidate best = finalists.stream().min(AnswerRanking.by(c -> order.indexOf(c.id()))).orElseThrow();
        String verdict = best.verdict() == null ? "" : ", verifier " + best.verdict().name().toLowerCase(Locale.ROOT);
        String score = best.score() == null ? "" : String.format(Locale.ROOT, ", reward score %.3f", best.score());
        String name = config.name() == null ? "" : " '" + config.name() + "'";
        long passing = finalists.stream().filter(c -> c.verdict() == Verdict.Outcome.PASS).count();
        return new Action.Finish(best.id(), "archon" + name + ": best of the last layer's " + finalists.size()
                + " candidates (" + passing + " verified)" + verdict + score);
    }

    /** The last layer's output: answers only, complete ones when there are any. */
    private List<RunState.Candidate> finalists(RunState state, ArchonMemo memo) {
        List<UUID> ids = memo.outputs().getOrDefault(config.layers().getLast().name(), List.of());
        List<RunState.Candidate> answers = state.candidates(ids).stream().filter(RunState.Candidate::isAnswer).toList();
        List<RunState.Candidate> complete = answers.stream().filter(RunState.Candidate::complete).toList();
        return complete.isEmpty() ? answers : complete;
    }

    private static Action failure(RunState state) {
        boolean generated = state.steps().stream().anyMatch(s -> s.kind() == StepKind.GENERATION);
        if (!generated) {
            return new Action.Fail("budget_exhausted", "the budget cannot pay for the first generator layer");
        }
        String why = state.steps().stream()
                .filter(s -> s.kind() == StepKind.GENERATION && s.status() == RunState.Step.Status.FAILED)
                .map(s -> s.errorCode() + ": " + s.errorDetail())
                .findFirst().orElse("the pipeline produced no candidates");
        return new Action.Fail("generation_failed", why);
    }
}
