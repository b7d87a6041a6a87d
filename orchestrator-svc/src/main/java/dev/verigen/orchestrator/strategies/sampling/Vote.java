package dev.verigen.orchestrator.strategies.sampling;

import dev.verigen.orchestrator.strategies.Answers;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Candidates grouped by their final answer ({@link Answers}), each answer with its vote mass: one per member for a
 * majority vote, the sum of the members' reward scores for a weighted one. Groups are ordered by mass, then by the
 * earliest first occurrence, so ties always resolve the same way.
 *
 * @param groups  heaviest first
 * @param voters  candidates that stated an answer
 * @param weighted whether masses are reward scores (else counts)
 */
public record Vote(List<Group> groups, int voters, boolean weighted) {

    /** @param firstIndex the index of the earliest member, which breaks ties */
    public record Group(String answer, List<RunState.Candidate> members, double mass, int firstIndex) {

        /** The member to answer with: verified first, then best scored, then earliest (best-of-N's order). */
        public RunState.Candidate representative() {
            return members.stream().min(BestOfN.RANKING).orElseThrow();
        }
    }

    /**
     * Whether a candidate may vote: it is a finished answer (a sample cut off at max tokens has no trustworthy
     * "last number") that states an answer.
     */
    public static boolean eligible(RunState.Candidate c) {
        return c.isAnswer() && c.complete() && !"length".equals(c.finishReason()) && Answers.of(c) != null;
    }

    public static Vote majority(List<RunState.Candidate> candidates) {
        return tally(candidates, false);
    }

    /** Reward-weighted: missing scores count nothing, negative ones are clamped at zero (scores are probabilities). */
    public static Vote weighted(List<RunState.Candidate> candidates) {
        return tally(candidates, true);
    }

    /** Whether any eligible candidate carries a reward score: without one a weighted vote says nothing. */
    public static boolean anyScored(List<RunState.Candidate> candidates) {
        return candidates.stream().anyMatch(c -> eligible(c) && c.score() != null);
    }

    private static Vote tally(List<RunState.Candidate> candidates, boolean weighted) {
        List<RunState.Candidate> ordered = candidates.stream().filter(Vote::eligible)
                .sorted(Comparator.comparingInt(RunState.Candidate::index)).toList();
        Map<String, List<RunState.Candidate>> byAnswer = new LinkedHashMap<>();
        for (RunState.Candidate c : ordered) {
            byAnswer.computeIfAbsent(Answers.of(c), k -> new ArrayList<>()).add(c);
        }
        List<Group> groups = new ArrayList<>();
        byAnswer.forEach((answer, members) -> {
            double mass = 0;
            for (RunState.Candidate m : members) { // summed in index order: the same state gives the same sums
                mass += weighted ? Math.max(0, m.score() == null ? 0 : m.score()) : 1;
            }
            groups.add(new Group(answer, List.copyOf(members), mass, members.getFirst().index()));
        });
        groups.sort(Comparator.comparingDouble(Group::mass).reversed().thenComparingInt(Group::firstIndex));
        return new Vote(List.copyOf(groups), ordered.size(), weighted);
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    public Group leader() {
        return groups.getFirst();
    }

    public double runnerUpMass() {
        return groups.size() < 2 ? 0 : groups.get(1).mass();
    }

    /** The probability that more samples would leave the leader ahead ({@link StoppingRule}). */
    public double leaderStays() {
        return isEmpty() ? 0 : StoppingRule.leaderStays(leader().mass(), runnerUpMass());
    }

    /** "majority 5/8 for 42" or "weighted vote 3.10 of 4.60 (5/8 samples) for 42". */
    public String describe() {
        Group lead = leader();
        if (!weighted) {
            return "majority " + lead.members().size() + "/" + voters + " for " + lead.answer();
        }
        double total = groups.stream().mapToDouble(Group::mass).sum();
        return String.format(Locale.ROOT, "weighted vote %.2f of %.2f (%d/%d samples) for %s", lead.mass(), total,
                lead.members().size(), voters, lead.answer());
    }
}
