package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Scripted states for the sampling strategies' decision tests: no engine, no database. */
final class SamplingFixtures {

    static final String PROMPT = "What is 6 * 7?";

    private SamplingFixtures() {
    }

    static PipelineSpec spec(String strategy, int n, VerifierSpec verifier, String rewardModel, Object options) {
        return new PipelineSpec(strategy, n, "sim-math", verifier, rewardModel,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60).withOptions(options);
    }

    static RunState.Step step(StepKind kind, RunState.Step.Status status) {
        return step(kind, status, "");
    }

    static RunState.Step step(StepKind kind, RunState.Step.Status status, String label) {
        boolean failed = status == RunState.Step.Status.FAILED;
        return new RunState.Step(UUID.randomUUID(), kind, status, failed ? "engine_error" : null,
                failed ? "boom" : null, label, 1);
    }

    static RunState.Candidate answer(int index, String text, Outcome verdict, Double score) {
        return new RunState.Candidate(UUID.randomUUID(), index, text, verdict, null, score);
    }

    static RunState.Candidate sample(int index, String text, String label, String finishReason, long tokens) {
        return new RunState.Candidate(UUID.randomUUID(), index, text, null, null, null, Map.of(), null, label,
                Role.GENERATE, "sim-math", true, finishReason, tokens, null);
    }

    static RunState.Candidate withVerdict(RunState.Candidate c, Outcome verdict) {
        return new RunState.Candidate(c.id(), c.index(), c.text(), verdict, c.extracted(), c.score(), c.scores(),
                c.parentId(), c.label(), c.role(), c.pool(), c.complete(), c.finishReason(), c.completionTokens(),
                c.logprob());
    }

    static RunState.Candidate withLogprob(RunState.Candidate c, Double logprob) {
        return new RunState.Candidate(c.id(), c.index(), c.text(), c.verdict(), c.extracted(), c.score(), c.scores(),
                c.parentId(), c.label(), c.role(), c.pool(), c.complete(), c.finishReason(), c.completionTokens(),
                logprob);
    }

    /** Candidates answering the given values as "Answer: x", each with the given sequence log-probability. */
    static List<RunState.Candidate> answersWithLogprobs(List<String> values, List<Double> logprobs) {
        List<RunState.Candidate> out = new ArrayList<>();
        List<RunState.Candidate> plain = answers(values, null);
        for (int i = 0; i < plain.size(); i++) {
            out.add(withLogprob(plain.get(i), logprobs.get(i)));
        }
        return out;
    }

    /** Candidates answering the given texts as "Answer: x", with the given scores (null entries: unscored). */
    static List<RunState.Candidate> answers(List<String> values, List<Double> scores) {
        List<RunState.Candidate> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(answer(i, "Step 1: work\nAnswer: " + values.get(i), null, scores == null ? null : scores.get(i)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static RunState state(PipelineSpec spec, RunState.Budget budget, List<RunState.Step> steps,
                          List<RunState.Candidate> candidates, Object memo) {
        return new RunState(UUID.nameUUIDFromBytes(new byte[]{7}), spec, new RunInput(PROMPT, "42"), budget, steps,
                candidates, memo == null ? null : Json.convert(memo, Map.class));
    }

    static RunState stateWithoutReference(PipelineSpec spec, List<RunState.Step> steps,
                                          List<RunState.Candidate> candidates) {
        return new RunState(UUID.nameUUIDFromBytes(new byte[]{8}), spec, new RunInput(PROMPT, null),
                RunState.Budget.UNLIMITED, steps, candidates, null);
    }

    static List<UUID> ids(List<RunState.Candidate> candidates) {
        return candidates.stream().map(RunState.Candidate::id).toList();
    }

    /** The event that ends a round: the last judging step finished and nothing is pending. */
    static RunEvent.StepFinished lastScoringDone(List<RunState.Step> steps) {
        RunState.Step last = steps.getLast();
        return new RunEvent.StepFinished(last.id(), last.kind(), List.of(), null);
    }
}
