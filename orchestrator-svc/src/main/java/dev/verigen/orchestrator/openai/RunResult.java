package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.runs.RunView;
import dev.verigen.orchestrator.strategies.Answers;
import dev.verigen.orchestrator.strategies.RunState.Candidate;
import dev.verigen.orchestrator.strategies.sampling.Vote;
import dev.verigen.support.problems.ApiProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * A finished run as a chat completion sees it: the run and every candidate with its verdict and scores.
 */
public record RunResult(RunView run, List<Candidate> candidates) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(run.status()) && run.result() != null;
    }

    /** The best {@code n} distinct answers, the selected one first ({@link ChoiceRanking}). */
    public List<Candidate> choices(int n) {
        return ChoiceRanking.rank(run.pipeline(), candidates, selectedId(), n);
    }

    /** Every internal call of the run: generation, scoring and verification alike. */
    public ChatWire.Usage usage() {
        return ChatWire.Usage.of(run.usage().promptTokens(), run.usage().completionTokens());
    }

    public static String finishReason(Candidate c) {
        return "length".equals(c.finishReason()) ? "length" : "stop";
    }

    /**
     * Why the run gave no answer, as the problem the client gets: 402 when a budget (the run's or the tenant's) ran
     * out — not 429, which clients retry at once and which would spend again —, 409 when it was cancelled, 502 when
     * it failed otherwise (workers failed; a retry may succeed).
     */
    public ApiProblem problem() {
        String code = run.error() == null ? null : run.error().code();
        String detail = run.error() == null ? null : run.error().detail();
        String prefix = "run " + run.id() + " ";
        if ("CANCELLED".equals(run.status())) {
            return new ApiProblem(HttpStatus.CONFLICT, "run-cancelled", "Run cancelled",
                    prefix + "was cancelled: " + detail, List.of());
        }
        if ("budget_exhausted".equals(code)) {
            return new ApiProblem(HttpStatus.PAYMENT_REQUIRED, "budget-exhausted", "Budget exhausted",
                    prefix + "ran out of budget: " + detail, List.of());
        }
        return new ApiProblem(HttpStatus.BAD_GATEWAY, "run-failed", "Run failed",
                prefix + "failed" + (code == null ? "" : " (" + code + "): " + detail), List.of());
    }

    /** The {@code verigen} block of an answer: how it was reached. */
    public Map<String, Object> metadata() {
        List<Candidate> answers = ChoiceRanking.answers(candidates);
        Vote tally = ChoiceRanking.tally(run.pipeline(), answers);
        Map<String, Double> massByAnswer = new HashMap<>();
        List<Map<String, Object>> votes = new ArrayList<>();
        for (Vote.Group g : tally.groups()) {
            massByAnswer.put(g.answer(), g.mass());
            votes.add(ordered("answer", g.answer(), "votes", g.mass(), "count", g.members().size()));
        }
        UUID selected = selectedId();
        List<Map<String, Object>> listed = new ArrayList<>();
        Integer selectedIndex = null;
        for (Candidate c : answers) {
            String answer = Answers.of(c);
            if (c.id().equals(selected)) {
                selectedIndex = c.index();
            }
            listed.add(ordered("index", c.index(), "text", c.text(), "answer", answer, "extracted", c.extracted(),
                    "verdict", c.verdict() == null ? null : c.verdict().name(), "score", c.score(),
                    "votes", answer == null ? null : massByAnswer.getOrDefault(answer, 0.0),
                    "finish_reason", finishReason(c), "selected", c.id().equals(selected)));
        }
        var b = run.budget();
        var u = run.usage();
        return ordered("run_id", run.id(), "trace_id", run.traceId(), "status", run.status(), "strategy", run.pipeline().strategy(),
                "pool", run.pipeline().model(), "n", run.pipeline().n(),
                "reason", run.result() == null ? null : run.result().reason(),
                "selected_index", selectedIndex, "candidates", listed, "votes", votes,
                "budget", ordered("used_tokens", b.usedTokens(), "used_calls", b.usedCalls(),
                        "used_flops", b.usedFlops(), "max_tokens", b.maxTokens(), "max_calls", b.maxCalls(),
                        "max_flops", b.maxFlops()),
                "usage", ordered("prompt_tokens", u.promptTokens(), "completion_tokens", u.completionTokens(),
                        "calls", u.calls(), "flops", u.flops()));
    }

    private UUID selectedId() {
        return run.result() == null ? null : run.result().candidateId();
    }

    /** A map that keeps its keys in the order given (and, unlike Map.of, takes null values). */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
