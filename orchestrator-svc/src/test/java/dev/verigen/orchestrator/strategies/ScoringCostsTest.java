package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.SamplingParams;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What RunDriver.dispatchScoring reserves for a scoring job, and when best-of-N can afford one. */
class ScoringCostsTest {

    private static final String PROMPT = "What is 6 * 7?";
    private static final List<String> TEXTS = List.of("Answer: 42", "Answer: 41 ∑"); // 10 and 14 bytes

    @Test
    void plainRewardModelsReserveOneCallPerCandidateAndNoTokens() {
        assertThat(Costs.scoring("sim-orm", PROMPT, TEXTS)).isEqualTo(new Costs.ScoringCost(0, 2));
        assertThat(Costs.scoring("sim-prm:min", PROMPT, TEXTS)).isEqualTo(new Costs.ScoringCost(0, 2));
        assertThat(Costs.scoringSpendsTokens("sim-orm")).isFalse();
    }

    @Test
    void judgeReservesKSamplesPerCandidateWithPromptCandidateAndMaxTokens() {
        long perCandidatePrompt = Costs.promptTokensBound(PROMPT) + Costs.JUDGE_TEMPLATE_TOKENS + Costs.JUDGE_MAX_TOKENS;
        long oneRound = 2 * perCandidatePrompt + 10 + 14;
        assertThat(Costs.scoring("judge:sim-math", PROMPT, TEXTS)).isEqualTo(new Costs.ScoringCost(4 * oneRound, 8));
        assertThat(Costs.scoring("judge:qwen:k=8", PROMPT, TEXTS)).isEqualTo(new Costs.ScoringCost(8 * oneRound, 16));
        assertThat(Costs.scoringSpendsTokens("judge:qwen:k=8")).isTrue();
    }

    @Test
    void likelihoodReservesThePromptOnceAndEveryCandidatesBytes() {
        assertThat(Costs.scoring("likelihood:arith-tiny", PROMPT, TEXTS))
                .isEqualTo(new Costs.ScoringCost(Costs.promptTokensBound(PROMPT) + 24, 2));
        assertThat(Costs.scoringSpendsTokens("likelihood:arith-tiny")).isTrue();
    }

    @Test
    void bestOfNSkipsAJudgeTheBudgetCannotPayForButKeepsACheapScorer() {
        var strategy = new BestOfN();
        var gen = new RunState.Step(UUID.randomUUID(), StepKind.GENERATION, RunState.Step.Status.DONE, null, null);
        var cands = List.of(new RunState.Candidate(UUID.randomUUID(), 0, "Answer: 42", null, null, null),
                new RunState.Candidate(UUID.randomUUID(), 1, "Answer: 41", null, null, null));
        var ids = cands.stream().map(RunState.Candidate::id).toList();
        var budget = new RunState.Budget(null, 6L, 0, 2, 0, 0); // 4 calls left: enough for 2 items, not 2 × k=4
        var event = new RunEvent.StepFinished(gen.id(), StepKind.GENERATION, ids, null);

        var judged = strategy.decide(state("judge:sim-math", budget, gen, cands), event);
        var scored = strategy.decide(state("sim-orm", budget, gen, cands), event);

        assertThat(judged).noneMatch(a -> a instanceof Action.Score);
        assertThat(scored).contains(new Action.Score(ids));
    }

    private static RunState state(String rewardModel, RunState.Budget budget, RunState.Step gen,
                                  List<RunState.Candidate> cands) {
        var spec = new PipelineSpec("best_of_n", 2, "sim-math", null, rewardModel,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60);
        return new RunState(UUID.randomUUID(), spec, new RunInput(PROMPT, "42"), budget, List.of(gen), cands);
    }
}
