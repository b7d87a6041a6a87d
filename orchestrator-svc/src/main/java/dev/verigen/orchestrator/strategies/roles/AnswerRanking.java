package dev.verigen.orchestrator.strategies.roles;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.Comparator;
import java.util.function.ToIntFunction;

/**
 * best_of_n's order of answers (a verified pass first, then the reward score, a failed check last) with the
 * caller's tie-break, e.g. the order a pipeline layer put its candidates in.
 */
public final class AnswerRanking {

    private AnswerRanking() {
    }

    public static Comparator<RunState.Candidate> by(ToIntFunction<RunState.Candidate> tieBreak) {
        return Comparator.comparingInt((RunState.Candidate c) -> verdictRank(c.verdict()))
                .thenComparing(c -> c.score() == null ? Double.NEGATIVE_INFINITY : c.score(), Comparator.reverseOrder())
                .thenComparingInt(tieBreak);
    }

    static int verdictRank(Verdict.Outcome outcome) {
        if (outcome == null) {
            return 1;
        }
        return switch (outcome) {
            case PASS -> 0;
            case ERROR -> 1;
            case FAIL -> 2;
        };
    }
}
