package dev.verigen.orchestrator.strategies.stepwise;

import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.Costs.Bound;
import dev.verigen.orchestrator.strategies.Headroom;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One decision's view of a step-wise search: the candidates by id and label, their process-reward scores, and what
 * the jobs the search may ask for would reserve (the same bounds the run driver reserves).
 *
 * @param prm  the scorer that judges partial solutions
 * @param name the strategy, for the answer's reason
 */
public record Search(RunState state, String prm, String name, Map<UUID, RunState.Candidate> byId,
                     Map<String, List<RunState.Candidate>> byLabel) {

    /**
     * How many bytes a future step may add to a partial, per token it may generate. Only plans use it (a job's
     * reservation is always computed from the real text); four bytes a token is generous for text.
     */
    static final int BYTES_PER_TOKEN = 4;

    public static Search of(RunState state, String prm, String name) {
        Map<UUID, RunState.Candidate> byId = new HashMap<>();
        Map<String, List<RunState.Candidate>> byLabel = new HashMap<>();
        for (RunState.Candidate c : state.answers()) {
            byId.put(c.id(), c);
            byLabel.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c);
        }
        byLabel.values().forEach(list -> list.sort(Comparator.comparingInt(RunState.Candidate::index)));
        return new Search(state, prm, name, byId, byLabel);
    }

    /** The process reward model a step-wise strategy uses: its {@code prm} option, else the run's reward model. */
    public static String prmOption(StrategyOptions options) {
        String prm = options.scorer("prm", options.base().rewardModel());
        if (prm == null) {
            options.reject("prm", "step-wise search scores partial solutions with a process reward model: set "
                    + "pipeline.options.prm (e.g. \"sim-prm:last\") or pipeline.rewardModel");
        }
        return prm;
    }

    public RunState.Candidate candidate(UUID id) {
        RunState.Candidate c = byId.get(id);
        if (c == null) {
            throw new IllegalStateException("no answer candidate " + id);
        }
        return c;
    }

    /** What a generation labelled {@code label} produced, in sample order (none when it failed). */
    public List<RunState.Candidate> children(String label) {
        return byLabel.getOrDefault(label, List.of());
    }

    public String prompt() {
        return state.input().prompt();
    }

    public int maxTokens() {
        return state.spec().sampling().maxTokens();
    }

    public String text(UUID id) {
        return id == null ? "" : candidate(id).text();
    }

    /** The PRM score of a candidate; null when it was never scored (its scoring failed or was not affordable). */
    public Double prmScore(UUID id) {
        return candidate(id).scoreBy(prm);
    }

    /** Best PRM score first; unscored last; the given order breaks ties, so the choice is deterministic. */
    public List<UUID> byScore(List<UUID> ids) {
        List<UUID> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingDouble((UUID id) -> {
            Double s = prmScore(id);
            return s == null ? Double.NEGATIVE_INFINITY : s;
        }).reversed());
        return sorted;
    }

    /** What {@code n} samples continuing {@code partial} (or starting from the prompt) reserve. */
    public Bound generation(String partial, int n) {
        return Costs.generation(state.budget().compute(), null, prompt() + partial, n, maxTokens());
    }

    /** What scoring these candidates with {@code scorer} reserves. */
    public Bound scoring(String scorer, List<String> texts) {
        return Costs.scoring(state.budget().compute(), scorer, prompt(), texts);
    }

    /** The most bytes {@code steps} future steps may add to a text, for plans. */
    public long growth(int steps) {
        return (long) steps * BYTES_PER_TOKEN * maxTokens();
    }

    /**
     * A plan's bound for PRM-scoring one child of {@code parent} whose scored text may be {@code steps} steps longer
     * (its own step and any look-ahead roll-out): model-backed scorers spend per candidate byte, a judge k times.
     */
    public Bound scoringUpkeep(String parent, int steps) {
        long bytes = parent.getBytes(StandardCharsets.UTF_8).length
                + (Costs.scoringSpendsTokens(prm) ? growth(steps) : 0);
        return Costs.scoring(state.budget().compute(), prm, prompt(), bytes);
    }

    /**
     * What must stay in the budget so the longest of these partials can still be completed after one more step: a
     * completion of the longest text (in bytes: tokens and FLOPs both grow with the text read) grown by one step.
     */
    public Bound completionReserve(List<String> partials) {
        String longest = "";
        for (String p : partials) {
            if (p.getBytes(StandardCharsets.UTF_8).length > longest.getBytes(StandardCharsets.UTF_8).length) {
                longest = p;
            }
        }
        long read = Costs.promptTokensBound(prompt() + longest) + growth(1);
        double flops = state.budget().compute().generationBound(null, read, 1, maxTokens());
        return new Bound(read + maxTokens(), 1, flops);
    }

    /** Where the room of one decision is kept: the run's budget, before anything this decision asks for. */
    public Headroom room() {
        return Headroom.of(state.budget());
    }
}
