package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.iad.IadMemo;
import dev.verigen.orchestrator.strategies.iad.IadOptions;
import dev.verigen.orchestrator.strategies.roles.Allowance;
import dev.verigen.orchestrator.strategies.roles.Materials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Iterative agent decoding ("Review, Refine, Repeat", 2025): sample n answers, have the verifier and reward
 * model judge them, feed the best few back with that feedback (and optionally a critique) as refinement prompts,
 * judge the refined answers, and repeat, always keeping the best answer so far (best_of_n's order: a verified pass,
 * then the reward score). It stops on a verified pass, after {@code patience} rounds without a better answer,
 * after {@code maxRounds} rounds, or when the budget cannot pay for another round.
 */
@Component
public class IterativeAgentDecoding implements Strategy {

    public static final String NAME = "iad";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object options(StrategyOptions options) {
        return IadOptions.read(options);
    }

    @Override
    public List<Action> decide(RunState state, RunEvent event) {
        IadOptions options = IadOptions.of(state.spec());
        return switch (event) {
            case RunEvent.Started started -> start(state);
            case RunEvent.StepFinished finished -> afterStep(state, options, finished);
            case RunEvent.Progressed progressed -> List.of();
        };
    }

    private List<Action> start(RunState state) {
        Allowance allowance = new Allowance(state.budget());
        String task = state.input().prompt();
        int maxTokens = state.spec().sampling().maxTokens();
        int n = allowance.reserveSamples(task, state.spec().n(), maxTokens, state.spec().rewardModel(), task,
                4L * maxTokens);
        if (n < 1) {
            // without room to score them, samples are still worth more than no answer
            n = allowance.samples(task, state.spec().n(), maxTokens);
        }
        if (n < 1) {
            return List.of(new Action.Fail("budget_exhausted",
                    "the budget cannot pay for a single sample of up to " + maxTokens + " tokens"));
        }
        return List.of(new Action.Remember(IadMemo.start()), Action.Generate.samples("iad/r0", n));
    }

    private List<Action> afterStep(RunState state, IadOptions options, RunEvent.StepFinished event) {
        IadMemo memo = state.memo(IadMemo.class).orElse(IadMemo.start());
        Allowance allowance = new Allowance(state.budget());
        List<Action> actions = new ArrayList<>();
        if (event.kind() == StepKind.GENERATION && !event.newCandidates().isEmpty()) {
            List<RunState.Candidate> answers = state.candidates(event.newCandidates()).stream()
                    .filter(RunState.Candidate::isAnswer).toList();
            if (!answers.isEmpty()) {
                evaluate(state, answers, allowance, actions);
            }
        }
        if (options.stopOnPass() && event.kind() == StepKind.VERIFICATION) {
            Optional<RunState.Candidate> passed = best(state).filter(c -> c.verdict() == Verdict.Outcome.PASS);
            if (passed.isPresent()) {
                return stop(state, passed.get(), "verified: passed the verifier in round " + memo.round());
            }
        }
        if (!actions.isEmpty() || state.pendingSteps() > 0) {
            return actions;
        }
        return memo.phase() == IadMemo.Phase.CRITIQUING
                ? refine(state, options, memo, allowance)
                : endRound(state, options, memo, allowance);
    }

    /** New answers are verified (free) and scored (when the budget allows); these are the loop's feedback. */
    private static void evaluate(RunState state, List<RunState.Candidate> answers, Allowance allowance,
                                 List<Action> actions) {
        List<UUID> ids = answers.stream().map(RunState.Candidate::id).toList();
        if (verifies(state)) {
            actions.add(new Action.Verify(ids));
        }
        String scorer = state.spec().rewardModel();
        if (scorer != null && allowance.score(scorer, state.input().prompt(),
                answers.stream().map(RunState.Candidate::text).toList())) {
            actions.add(new Action.Score(ids));
        }
    }

    /** Everything the round asked for is in: stop, or pick the answers to refine next. */
    private List<Action> endRound(RunState state, IadOptions options, IadMemo memo, Allowance allowance) {
        Optional<RunState.Candidate> found = best(state);
        if (found.isEmpty()) {
            return List.of(new Action.Fail("generation_failed", failure(state)));
        }
        RunState.Candidate best = found.get();
        boolean improved = memo.bestId() == null || !best.id().equals(memo.bestId());
        int stale = improved ? 0 : memo.stale() + 1;
        if (options.stopOnPass() && best.verdict() == Verdict.Outcome.PASS) {
            return stop(state, best, "verified: passed the verifier in round " + memo.round());
        }
        if (memo.round() >= options.maxRounds()) {
            return stop(state, best, "best answer after " + memo.round() + " refinement rounds");
        }
        if (stale >= options.patience()) {
            return stop(state, best, "plateau: no better answer in the last " + stale + " rounds");
        }
        List<RunState.Candidate> selected = select(state, options.keep());
        IadMemo next = new IadMemo(memo.round() + 1, IadMemo.Phase.CRITIQUING, best.id(), stale,
                selected.stream().map(RunState.Candidate::id).toList());
        if (options.critique()) {
            List<Action> critiques = critiques(state, next, selected, allowance.copy());
            if (!critiques.isEmpty()) {
                List<Action> actions = new ArrayList<>();
                actions.add(new Action.Remember(next));
                actions.addAll(critiques);
                return actions;
            }
        }
        return refine(state, options, next, allowance);
    }

    /**
     * A critique of each selected answer, as far as the budget goes, but only when at least one refinement of
     * the best answer still fits afterwards: a critique nobody refines on is wasted.
     */
    private static List<Action> critiques(RunState state, IadMemo next, List<RunState.Candidate> selected,
                                          Allowance trial) {
        String task = state.input().prompt();
        int maxTokens = state.spec().sampling().maxTokens();
        List<Action> out = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            RunState.Candidate answer = selected.get(i);
            String material = Materials.judge(task, answer.text());
            if (trial.generate(material, 1, maxTokens)) {
                out.add(new Action.Generate(next.label("critique", i), Role.CRITIQUE, null, material, 1, null, null,
                        answer.id(), false, false));
            }
        }
        String probe = Materials.refine(task, selected.getFirst().text(), "x".repeat(4 * maxTokens));
        return reserve(state, trial, probe, 1, selected.getFirst().text()) > 0 ? out : List.of();
    }

    /** REFINE prompts for the selected answers, sharing the round's refinements among them (best first). */
    private List<Action> refine(RunState state, IadOptions options, IadMemo memo, Allowance allowance) {
        IadMemo refining = new IadMemo(memo.round(), IadMemo.Phase.REFINING, memo.bestId(), memo.stale(),
                memo.selected());
        List<RunState.Candidate> selected = state.candidates(memo.selected());
        String task = state.input().prompt();
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.Remember(refining));
        for (int i = 0; i < selected.size(); i++) {
            int share = options.refinements() / selected.size() + (i < options.refinements() % selected.size() ? 1 : 0);
            RunState.Candidate answer = selected.get(i);
            String material = Materials.refine(task, answer.text(),
                    Materials.feedback(answer, critique(state, memo, answer.id())));
            int n = reserve(state, allowance, material, share, answer.text());
            if (n > 0) {
                actions.add(new Action.Generate(refining.label("refine", i), Role.REFINE, null, material, n, null, null,
                        answer.id(), false, false));
            }
        }
        if (actions.size() == 1) {
            RunState.Candidate best = best(state).orElseThrow();
            return stop(state, best, "budget: no room for another refinement round");
        }
        return actions;
    }

    /** How many refinements fit with room to score them; without that room only a free verifier can judge them. */
    private static int reserve(RunState state, Allowance allowance, String material, int wanted, String parentText) {
        int maxTokens = state.spec().sampling().maxTokens();
        String task = state.input().prompt();
        int n = allowance.reserveSamples(material, wanted, maxTokens, state.spec().rewardModel(), task,
                parentText.getBytes(StandardCharsets.UTF_8).length);
        if (n < 1 && verifies(state)) {
            n = allowance.samples(material, wanted, maxTokens);
            if (n > 0) {
                allowance.generate(material, n, maxTokens);
            }
        }
        return n;
    }

    private static String critique(RunState state, IadMemo memo, UUID answer) {
        String prefix = memo.labelPrefix("critique");
        return state.candidates().stream()
                .filter(c -> c.role() == Role.CRITIQUE && answer.equals(c.parentId()) && c.label().startsWith(prefix))
                .reduce((a, b) -> b).map(RunState.Candidate::text).orElse(null);
    }

    /** The best distinct answers: refining two copies of one text twice over would waste the round. */
    private static List<RunState.Candidate> select(RunState state, int keep) {
        Set<String> texts = new LinkedHashSet<>();
        return ranked(state).stream().filter(c -> texts.add(c.text())).limit(keep).toList();
    }

    private static List<RunState.Candidate> ranked(RunState state) {
        List<RunState.Candidate> complete = state.answers().stream().filter(RunState.Candidate::complete).toList();
        return (complete.isEmpty() ? state.answers() : complete).stream().sorted(BestOfN.RANKING).toList();
    }

    private static Optional<RunState.Candidate> best(RunState state) {
        return ranked(state).stream().findFirst();
    }

    private static boolean verifies(RunState state) {
        return state.spec().verifier() != null && state.input().hasReference();
    }

    /** Finishes with {@code best}, releasing whatever is still in flight. */
    private static List<Action> stop(RunState state, RunState.Candidate best, String why) {
        List<Action> actions = new ArrayList<>();
        List<UUID> pending = state.steps().stream().filter(s -> s.status() == RunState.Step.Status.PENDING)
                .map(RunState.Step::id).toList();
        if (!pending.isEmpty()) {
            actions.add(new Action.Cancel(pending, "the run has its answer"));
        }
        actions.add(new Action.Finish(best.id(), why + describe(best, state)));
        return actions;
    }

    private static String describe(RunState.Candidate best, RunState state) {
        String verdict = best.verdict() == null ? "" : best.verdict() == Verdict.Outcome.PASS ? ""
                : ", verifier " + best.verdict().name().toLowerCase(Locale.ROOT);
        String score = best.score() == null ? "" : String.format(Locale.ROOT, ", reward score %.3f", best.score());
        return " (" + best.role().name().toLowerCase(Locale.ROOT) + " answer" + verdict + score + "; "
                + state.answers().size() + " answers tried)";
    }

    private static String failure(RunState state) {
        return state.steps().stream()
                .filter(s -> s.kind() == StepKind.GENERATION && s.status() == RunState.Step.Status.FAILED)
                .map(s -> s.errorCode() + ": " + s.errorDetail())
                .findFirst().orElse("no answers were generated");
    }
}
