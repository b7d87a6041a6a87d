package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Best-of-N: sample n candidates, verify and score them, answer with the best. A verified pass beats any
 * score; the reward model breaks ties among equals; the earliest sample breaks what is left, so the choice is
 * deterministic.
 */
@Component
public class BestOfN implements Strategy {

    public static final String NAME = "best_of_n";

    static final Comparator<RunState.Candidate> RANKING = Comparator
            .comparingInt((RunState.Candidate c) -> verdictRank(c.verdict()))
            .thenComparing(c -> c.score() == null ? Double.NEGATIVE_INFINITY : c.score(), Comparator.reverseOrder())
            .thenComparingInt(RunState.Candidate::index);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        return switch (event) {
            case RunEvent.Started started -> start(state);
            case RunEvent.StepFinished finished -> afterStep(state, finished);
        };
    }

    private List<Action> start(RunState state) {
        PipelineSpec spec = state.spec();
        int n = Costs.affordableSamples(state.budget(), state.input().prompt(), spec.n(), spec.sampling().maxTokens());
        if (n < 1) {
            return List.of(new Action.Fail("budget_exhausted",
                    "the budget cannot pay for a single sample of up to " + spec.sampling().maxTokens() + " tokens"));
        }
        return List.of(new Action.Generate(n));
    }

    private List<Action> afterStep(RunState state, RunEvent.StepFinished event) {
        List<Action> actions = new ArrayList<>();
        if (event.kind() == StepKind.GENERATION && !event.newCandidates().isEmpty()) {
            if (state.spec().verifier() != null && state.input().hasReference()) {
                actions.add(new Action.Verify(event.newCandidates()));
            }
            if (state.spec().rewardModel() != null && canAffordScoring(state, event.newCandidates())) {
                actions.add(new Action.Score(event.newCandidates()));
            }
        }
        if (actions.isEmpty() && state.pendingSteps() == 0) {
            actions.add(conclude(state));
        }
        return actions;
    }

    private static Action conclude(RunState state) {
        Optional<RunState.Candidate> best = state.candidates().stream().min(RANKING);
        if (best.isEmpty()) {
            String why = state.steps().stream()
                    .filter(s -> s.kind() == StepKind.GENERATION && s.status() == RunState.Step.Status.FAILED)
                    .map(s -> s.errorCode() + ": " + s.errorDetail())
                    .findFirst().orElse("no candidates were generated");
            return new Action.Fail("generation_failed", why);
        }
        return new Action.Finish(best.get().id(), reason(best.get(), state.candidates()));
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

    /** Scoring is skipped, not failed, when the budget cannot pay for it (a judge costs k calls per candidate). */
    private static boolean canAffordScoring(RunState state, List<java.util.UUID> ids) {
        List<String> texts = ids.stream().map(id -> state.candidates().stream().filter(c -> c.id().equals(id))
                .findFirst().map(RunState.Candidate::text).orElse("")).toList();
        Costs.ScoringCost cost = Costs.scoring(state.spec().rewardModel(), state.input().prompt(), texts);
        return state.budget().remainingCalls() >= cost.calls() && state.budget().remainingTokens() >= cost.tokens();
    }
}
