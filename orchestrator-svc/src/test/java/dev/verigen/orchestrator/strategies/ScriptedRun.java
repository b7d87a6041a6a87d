package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A hand-driven run for unit tests of a decision function: the test says what each job returned (texts, scores,
 * verdicts), the run records it as the engine would and asks the strategy for its next actions.
 */
final class ScriptedRun {

    private final Strategy strategy;
    private final PipelineSpec spec;
    private final RunInput input;
    RunState.Budget budget = RunState.Budget.UNLIMITED;
    private final List<RunState.Step> steps = new ArrayList<>();
    private final List<RunState.Candidate> candidates = new ArrayList<>();
    private final Map<UUID, Action> actionOf = new HashMap<>();
    private Map<String, Object> memo;

    ScriptedRun(Strategy strategy, PipelineSpec spec, RunInput input) {
        this.strategy = strategy;
        this.spec = spec;
        this.input = input;
    }

    RunState state() {
        return new RunState(UUID.nameUUIDFromBytes("run".getBytes()), spec, input, budget, steps, candidates, memo);
    }

    List<Action> start() {
        return decide(new RunEvent.Started());
    }

    <T> T memo(Class<T> type) {
        return state().memo(type).orElseThrow();
    }

    RunState.Candidate candidate(UUID id) {
        return state().candidate(id).orElseThrow();
    }

    /** The generation labelled {@code label} returned these step texts (a text with "Answer:" completes). */
    List<Action> generated(String label, String... texts) {
        RunState.Step step = pending(s -> s.kind() == StepKind.GENERATION && s.label().equals(label));
        Action.Generate g = (Action.Generate) actionOf.get(step.id());
        String parent = g.parent() == null ? null : candidate(g.parent()).text();
        List<UUID> created = new ArrayList<>();
        for (String t : texts) {
            boolean complete = !g.oneStep() || Stepwise.finishes(t, "stop");
            String text = parent == null && !g.oneStep() ? t
                    : Stepwise.extend(parent == null ? "" : parent, t, complete);
            UUID id = UUID.nameUUIDFromBytes(("cand-" + candidates.size()).getBytes());
            candidates.add(new RunState.Candidate(id, candidates.size(), text, null, null, null, Map.of(), g.parent(),
                    label, Role.GENERATE, spec.model(), complete, "stop", 3, null));
            created.add(id);
        }
        return close(step, created, null);
    }

    List<Action> failed(String label) {
        RunState.Step step = pending(s -> s.kind() == StepKind.GENERATION && s.label().equals(label));
        return close(step, List.of(), new JobError("engine_error", "boom", true));
    }

    /** The oldest pending scoring job returned these scores (by candidate). */
    List<Action> scored(Map<UUID, Double> values) {
        RunState.Step step = pending(s -> s.kind() == StepKind.SCORING);
        Action.Score a = (Action.Score) actionOf.get(step.id());
        String scorer = a.scorer() == null ? spec.rewardModel() : a.scorer();
        for (UUID id : a.candidateIds()) {
            if (values.containsKey(id)) {
                update(id, c -> {
                    Map<String, Double> scores = new LinkedHashMap<>(c.scores());
                    scores.put(scorer, values.get(id));
                    return copy(c, c.verdict(), scorer.equals(spec.rewardModel()) ? values.get(id) : c.score(), scores);
                });
            }
        }
        return close(step, List.of(), null);
    }

    /** The oldest pending verification returned these verdicts. */
    List<Action> verified(Map<UUID, Verdict.Outcome> verdicts) {
        RunState.Step step = pending(s -> s.kind() == StepKind.VERIFICATION);
        verdicts.forEach((id, v) -> update(id, c -> copy(c, v, c.score(), c.scores())));
        return close(step, List.of(), null);
    }

    List<Action> decide(RunEvent event) {
        List<Action> actions = strategy.decide(state(), event);
        for (Action action : actions) {
            switch (action) {
                case Action.Remember r -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = Json.convert(r.memo(), Map.class);
                    memo = m;
                }
                case Action.Generate g -> open(StepKind.GENERATION, g.label(), g);
                case Action.Score s -> open(StepKind.SCORING, "", s);
                case Action.Verify v -> open(StepKind.VERIFICATION, "", v);
                default -> {
                }
            }
        }
        return actions;
    }

    private void open(StepKind kind, String label, Action action) {
        UUID id = UUID.nameUUIDFromBytes(("step-" + steps.size()).getBytes());
        steps.add(new RunState.Step(id, kind, RunState.Step.Status.PENDING, null, null, label, 1));
        actionOf.put(id, action);
    }

    private RunState.Step pending(java.util.function.Predicate<RunState.Step> which) {
        return steps.stream().filter(s -> s.status() == RunState.Step.Status.PENDING).filter(which).findFirst()
                .orElseThrow(() -> new IllegalStateException("no such pending step"));
    }

    private List<Action> close(RunState.Step step, List<UUID> created, JobError error) {
        steps.set(steps.indexOf(step), new RunState.Step(step.id(), step.kind(),
                error == null ? RunState.Step.Status.DONE : RunState.Step.Status.FAILED,
                error == null ? null : error.code(), error == null ? null : error.message(), step.label(), 1));
        return decide(new RunEvent.StepFinished(step.id(), step.kind(), step.label(), created, error));
    }

    private void update(UUID id, java.util.function.UnaryOperator<RunState.Candidate> change) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).id().equals(id)) {
                candidates.set(i, change.apply(candidates.get(i)));
            }
        }
    }

    private static RunState.Candidate copy(RunState.Candidate c, Verdict.Outcome verdict, Double score,
                                           Map<String, Double> scores) {
        return new RunState.Candidate(c.id(), c.index(), c.text(), verdict, c.extracted(), score, scores, c.parentId(),
                c.label(), c.role(), c.pool(), c.complete(), c.finishReason(), c.completionTokens(), c.logprob());
    }
}
