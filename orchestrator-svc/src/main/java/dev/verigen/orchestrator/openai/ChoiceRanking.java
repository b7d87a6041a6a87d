package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.strategies.Answers;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunState.Candidate;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.sampling.Vote;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which answers a completion returns as its choices, best first, by the pipeline's own ranking: the run's selected
 * answer is choice 0; then, for voting pipelines (self_consistency, weighted best_of_n), each answer group's best
 * member in vote order, else answers in best-of-N order (verified pass, reward score, earliest). Only finished
 * answers count (not critiques, judgements or partial steps), and each final answer appears once: two samples that
 * state the same answer ({@link Answers}) are one choice.
 */
public final class ChoiceRanking {

    private ChoiceRanking() {
    }

    /** Finished answers of the run, in candidate order: what choices and the metadata's candidates are drawn from. */
    public static List<Candidate> answers(List<Candidate> candidates) {
        return candidates.stream().filter(c -> c.isAnswer() && c.complete()).toList();
    }

    /** The tally the pipeline votes with, or a plain count for pipelines that do not vote. */
    public static Vote tally(PipelineSpec spec, List<Candidate> answers) {
        Object vote = spec.options().get("vote");
        Object selection = spec.options().get("selection");
        boolean byReward = SelfConsistency.WEIGHTED.equals(vote) || BestOfN.WEIGHTED.equals(selection);
        if (byReward && Vote.anyScored(answers)) {
            return Vote.weighted(answers);
        }
        if (SelfConsistency.LIKELIHOOD.equals(vote) && Vote.anyLogprob(answers)) {
            return Vote.likelihood(answers);
        }
        return Vote.majority(answers);
    }

    /** @param selected the run's selected candidate; null when it has none */
    public static List<Candidate> rank(PipelineSpec spec, List<Candidate> candidates, UUID selected, int n) {
        List<Candidate> answers = answers(candidates);
        List<Candidate> order = new ArrayList<>();
        candidates.stream().filter(c -> c.id().equals(selected)).findFirst().ifPresent(order::add);
        if (votes(spec)) {
            tally(spec, answers).groups().forEach(g -> order.add(g.representative()));
        }
        answers.stream().sorted(BestOfN.RANKING).forEach(order::add);
        Set<String> seen = new HashSet<>();
        Set<Candidate> chosen = new LinkedHashSet<>();
        for (Candidate c : order) {
            if (chosen.size() == n) {
                break;
            }
            if (seen.add(key(c))) {
                chosen.add(c);
            }
        }
        return List.copyOf(chosen);
    }

    private static boolean votes(PipelineSpec spec) {
        return SelfConsistency.NAME.equals(spec.strategy()) || BestOfN.WEIGHTED.equals(spec.options().get("selection"));
    }

    /** Candidates with the same final answer are one choice; without an answer, the text itself is the key. */
    static String key(Candidate c) {
        String answer = Answers.of(c);
        return answer != null ? "answer:" + answer : "text:" + (c.text() == null ? "" : c.text().strip());
    }
}
