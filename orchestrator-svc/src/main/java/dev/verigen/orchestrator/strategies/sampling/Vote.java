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
 * majority vote, the sum of the members' reward scores for a weighted one, the sum of the members' sequence
 * probabilities for a likelihood vote. Groups are ordered by mass, then by the earliest first occurrence, so ties
 * always resolve the same way.
 *
 * @param groups  heaviest first
 * @param voters  candidates that stated an answer
 * @param mass    what a member's vote weighs
 */
public record Vote(List<Group> groups, int voters, Mass mass) {

    /** What one member's vote weighs. */
    public enum Mass {
        /** one */
        COUNT,
        /** its reward score */
        REWARD,
        /** its sequence probability, relative to the most likely voter's */
        LIKELIHOOD
    }

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
        return tally(candidates, Mass.COUNT);
    }

    /** Reward-weighted: missing scores count nothing, negative ones are clamped at zero (scores are probabilities). */
    public static Vote weighted(List<RunState.Candidate> candidates) {
        return tally(candidates, Mass.REWARD);
    }

    /**
     * Likelihood-weighted: each sample votes with its sequence probability exp(logprob), not length-normalised, so an
     * answer's mass is the model's probability of the texts that state it. Probabilities are taken relative to the
     * most likely voter's (exp(logprob − max logprob)): the winner is the same, long texts' probabilities cannot
     * underflow to a tie of zeros, and no vote outweighs a count of one, so the adaptive rule never grows bolder than
     * with counts. Samples without a logprob count nothing.
     */
    public static Vote likelihood(List<RunState.Candidate> candidates) {
        return tally(candidates, Mass.LIKELIHOOD);
    }

    /** Whether any eligible candidate carries a reward score: without one a weighted vote says nothing. */
    public static boolean anyScored(List<RunState.Candidate> candidates) {
        return candidates.stream().anyMatch(c -> eligible(c) && c.score() != null);
    }

    /** Whether any eligible candidate carries a log-probability: without one a likelihood vote says nothing. */
    public static boolean anyLogprob(List<RunState.Candidate> candidates) {
        return candidates.stream().anyMatch(c -> eligible(c) && usable(c.logprob()));
    }

    private static Vote tally(List<RunState.Candidate> candidates, Mass mass) {
        List<RunState.Candidate> ordered = candidates.stream().filter(Vote::eligible)
                .sorted(Comparator.comparingInt(RunState.Candidate::index)).toList();
        double mostLikely = ordered.stream().map(RunState.Candidate::logprob).filter(Vote::usable)
                .mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, List<RunState.Candidate>> byAnswer = new LinkedHashMap<>();
        for (RunState.Candidate c : ordered) {
            byAnswer.computeIfAbsent(Answers.of(c), k -> new ArrayList<>()).add(c);
        }
        List<Group> groups = new ArrayList<>();
        byAnswer.forEach((answer, members) -> {
            double sum = 0;
            for (RunState.Candidate m : members) { // summed in index order: the same state gives the same sums
                sum += switch (mass) {
                    case COUNT -> 1;
                    case REWARD -> Math.max(0, m.score() == null ? 0 : m.score());
                    case LIKELIHOOD -> usable(m.logprob()) ? Math.exp(m.logprob() - mostLikely) : 0;
                };
            }
            groups.add(new Group(answer, List.copyOf(members), sum, members.getFirst().index()));
        });
        groups.sort(Comparator.comparingDouble(Group::mass).reversed().thenComparingInt(Group::firstIndex));
        return new Vote(List.copyOf(groups), ordered.size(), mass);
    }

    private static boolean usable(Double logprob) {
        return logprob != null && !logprob.isNaN() && logprob != Double.NEGATIVE_INFINITY;
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

    /**
     * "majority 5/8 for 42", "weighted vote 3.10 of 4.60 (5/8 samples) for 42" or "likelihood vote 3.10 of 4.60
     * (5/8 samples) for 42" (masses relative to the most likely sample's probability).
     */
    public String describe() {
        Group lead = leader();
        if (mass == Mass.COUNT) {
            return "majority " + lead.members().size() + "/" + voters + " for " + lead.answer();
        }
        double total = groups.stream().mapToDouble(Group::mass).sum();
        return String.format(Locale.ROOT, "%s vote %.2f of %.2f (%d/%d samples) for %s",
                mass == Mass.REWARD ? "weighted" : "likelihood", lead.mass(), total, lead.members().size(), voters,
                lead.answer());
    }
}
