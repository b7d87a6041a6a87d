package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunState.Candidate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChoiceRankingTest {

    private static final PipelineSpec BON = new PipelineSpec("best_of_n", 6, "sim-math", null, "sim-orm",
            SamplingParams.DEFAULT, 60);
    private static final PipelineSpec SC = new PipelineSpec("self_consistency", 6, "sim-math", null, null,
            SamplingParams.DEFAULT, 60, Map.of("vote", "majority"));

    private static Candidate answer(int index, String text, Double score) {
        return candidate(index, text, score, Role.GENERATE, true);
    }

    private static Candidate candidate(int index, String text, Double score, Role role, boolean complete) {
        return new Candidate(UUID.randomUUID(), index, text, null, null, score, Map.of(), null, "", role, "sim-math",
                complete, "stop", 3, null);
    }

    @Test
    void theSelectedAnswerComesFirstThenBestOfNOrderWithoutRepeatedAnswers() {
        var a = answer(0, "Answer: 41", 0.9);
        var b = answer(1, "Answer: 42", 0.5);
        var c = answer(2, "The answer is 41", 0.8);
        var d = answer(3, "Answer: 43", 0.7);
        var critique = candidate(4, "Verdict: incorrect", 0.99, Role.CRITIQUE, true);
        var partial = candidate(5, "Step 1", 0.95, Role.GENERATE, false);
        List<Candidate> all = List.of(a, b, c, d, critique, partial);
        assertThat(ChoiceRanking.rank(BON, all, b.id(), 10)).containsExactly(b, a, d);
        assertThat(ChoiceRanking.rank(BON, all, b.id(), 2)).containsExactly(b, a);
        assertThat(ChoiceRanking.rank(BON, all, b.id(), 1)).containsExactly(b);
    }

    @Test
    void aVerifiedPassOutranksScores() {
        var wrong = answer(0, "Answer: 41", 0.9);
        var right = new Candidate(UUID.randomUUID(), 1, "Answer: 42", Verdict.Outcome.PASS, "42", 0.1);
        assertThat(ChoiceRanking.rank(BON, List.of(wrong, right), right.id(), 2)).containsExactly(right, wrong);
    }

    @Test
    void votingPipelinesRankAnswersByTheirVotes() {
        var a = answer(0, "Answer: 7", null);
        var b = answer(1, "Answer: 9", null);
        var c = answer(2, "so 9", null);
        var d = answer(3, "Answer: 5", null);
        var e = answer(4, "Answer: 5", null);
        var f = answer(5, "Answer: 5", null);
        List<Candidate> all = List.of(a, b, c, d, e, f);
        assertThat(ChoiceRanking.rank(SC, all, d.id(), 3)).containsExactly(d, b, a);
        var tally = ChoiceRanking.tally(SC, all);
        assertThat(tally.groups()).extracting(g -> g.answer()).containsExactly("5", "9", "7");
    }
}
