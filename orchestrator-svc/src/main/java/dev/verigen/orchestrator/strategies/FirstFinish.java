package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * First Finish Search: n samples as n independent jobs; the first to come back complete (not cut off at max tokens —
 * and, with {@code requireVerified}, passing the verifier) is the answer, and the jobs still running are cancelled.
 * Among several that become acceptable in the same decision the shortest wins ({@code shortest}), after the paper's
 * observation that shorter traces are more often right. When none is acceptable once all are back, best-of-N's
 * ranking picks among them, complete ones first.
 */
@Component
public class FirstFinish implements Strategy {

    public static final String NAME = "first_finish";
    static final String LABEL = "sample-";

    /**
     * @param requireVerified only a candidate that passed the verifier counts as finished (needs a verifier and a
     *                        reference)
     * @param shortest        among candidates acceptable at once, the fewest completion tokens wins (else the earliest)
     */
    public record Options(Boolean requireVerified, Boolean shortest) {
        public Options {
            requireVerified = requireVerified != null && requireVerified;
            shortest = shortest == null || shortest;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions o) {
        o.onlyKnown(Set.of("requireVerified", "shortest"));
        boolean requireVerified = o.bool("requireVerified", false);
        if (requireVerified && (o.base().verifier() == null || !o.hasReference())) {
            o.reject("requireVerified", "needs a pipeline.verifier and an input.reference to verify against");
        }
        return new Options(requireVerified, o.bool("shortest", true));
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        Options options = state.spec().options(Options.class);
        return switch (event) {
            case RunEvent.Started started -> start(state);
            case RunEvent.StepFinished finished -> afterStep(state, finished, options);
            case RunEvent.Progressed progressed -> List.of();
        };
    }

    /** One job per sample, so each can finish (and be cancelled) on its own; each label draws its own sample. */
    private static List<Action> start(RunState state) {
        Costs.Bound perJob = Costs.generation(state.budget().compute(), null, state.input().prompt(), 1,
                state.spec().sampling().maxTokens());
        int count = Headroom.of(state.budget()).most(state.spec().n(), perJob::times);
        if (count < 1) {
            return List.of(new Action.Fail("budget_exhausted", "the budget cannot pay for a single sample of up to "
                    + state.spec().sampling().maxTokens() + " tokens"));
        }
        List<Action> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            jobs.add(Action.Generate.samples(LABEL + i, 1));
        }
        return jobs;
    }

    private static List<Action> afterStep(RunState state, RunEvent.StepFinished event, Options options) {
        boolean verifying = options.requireVerified() && state.spec().verifier() != null
                && state.input().hasReference();
        List<RunState.Candidate> acceptable = state.answers().stream()
                .filter(c -> finished(c) && (!verifying || c.verdict() == Verdict.Outcome.PASS)).toList();
        if (!acceptable.isEmpty()) {
            return finish(state, acceptable, options);
        }
        List<Action> actions = new ArrayList<>();
        if (verifying && event.kind() == StepKind.GENERATION) {
            List<UUID> toVerify = state.candidates(event.newCandidates()).stream()
                    .filter(FirstFinish::finished).map(RunState.Candidate::id).toList();
            if (!toVerify.isEmpty()) {
                actions.add(new Action.Verify(toVerify));
            }
        }
        if (actions.isEmpty() && state.pendingSteps() == 0) {
            actions.add(fallback(state));
        }
        return actions;
    }

    private static boolean finished(RunState.Candidate c) {
        return c.complete() && !"length".equals(c.finishReason());
    }

    private static List<Action> finish(RunState state, List<RunState.Candidate> acceptable, Options options) {
        Comparator<RunState.Candidate> order = options.shortest()
                ? Comparator.comparingLong(RunState.Candidate::completionTokens)
                        .thenComparingInt(RunState.Candidate::index)
                : Comparator.comparingInt(RunState.Candidate::index);
        RunState.Candidate chosen = acceptable.stream().min(order).orElseThrow();
        List<UUID> running = state.steps().stream()
                .filter(s -> s.kind() == StepKind.GENERATION && s.status() == RunState.Step.Status.PENDING)
                .map(RunState.Step::id).toList();
        long back = state.steps().stream()
                .filter(s -> s.kind() == StepKind.GENERATION && s.status() != RunState.Step.Status.PENDING).count();
        String reason = "first finish: " + (chosen.label().isEmpty() ? "sample " + chosen.index() : chosen.label())
                + " finished first" + (chosen.verdict() == Verdict.Outcome.PASS ? " and passed the verifier" : "")
                + " (" + chosen.completionTokens() + " completion tokens"
                + (acceptable.size() > 1 ? (options.shortest() ? "; the shortest of " : "; the earliest of ")
                        + acceptable.size() + " acceptable at once" : "")
                + ") with " + back + " of " + (back + running.size()) + " samples back; cancelled " + running.size();
        List<Action> actions = new ArrayList<>();
        if (!running.isEmpty()) {
            actions.add(new Action.Cancel(running, "first_finish: " + chosen.label() + " finished first"));
        }
        actions.add(new Action.Finish(chosen.id(), reason));
        return actions;
    }

    /** Every sample is back and none was acceptable: the best of what there is, complete ones first. */
    private static Action fallback(RunState state) {
        List<RunState.Candidate> answers = state.answers();
        if (answers.isEmpty()) {
            return Outcomes.noAnswer(state);
        }
        RunState.Candidate best = answers.stream()
                .min(Comparator.comparing((RunState.Candidate c) -> !finished(c)).thenComparing(BestOfN.RANKING))
                .orElseThrow();
        String what = finished(best) ? "none passed the verifier" : "none finished within max tokens";
        return new Action.Finish(best.id(), "first finish: " + what + " (" + answers.size()
                + " samples); best-of-N ranking took " + (best.label().isEmpty() ? "sample " + best.index()
                : best.label()));
    }
}
