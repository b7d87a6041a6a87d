package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kinetics-style FLOPs estimate and the FLOPs side of {@link Costs}. */
class ComputeEstimatorTest {

    private static final ComputeEstimator COMPUTE = ComputeEstimator.DEFAULTS;

    @Test
    void matchesAHandCalculationForA7bModel() {
        // 2 · 7e9 · (100 + 50) = 2.1e12 compute; KV: 32 layers · 2 · 1024 · 2 bytes = 131,072 bytes per token,
        // read 50·100 + 50·49/2 = 6,225 times = 815,923,200 bytes · 295 FLOPs/byte = 240,697,344,000
        assertThat(COMPUTE.generation("sim-math", 100, List.of(50L))).isEqualTo(2_340_697_344_000.0);
    }

    @Test
    void matchesAHandCalculationForArithTinyWhereMemoryTrafficOutweighsCompute() {
        // 2 · 919,680 · 24 = 44,144,640 compute; KV: 4 · 2 · 128 · 2 = 2,048 bytes per token,
        // read 4·20 + 4·3/2 = 86 times = 176,128 bytes · 295 = 51,957,760
        assertThat(COMPUTE.generation("arith-tiny", 20, List.of(4L))).isEqualTo(96_102_400.0);
        assertThat(COMPUTE.model("arith-tiny").kvReadBytes(20, 4) * 295)
                .isGreaterThan(COMPUTE.model("arith-tiny").computeFlops(24));
    }

    @Test
    void growsWithEveryTokenCount() {
        double previous = -1;
        for (long completion = 0; completion <= 512; completion += 16) {
            double flops = COMPUTE.generation("sim-math", 200, List.of(completion));
            assertThat(flops).isGreaterThan(previous);
            previous = flops;
        }
        previous = -1;
        for (long prompt = 0; prompt <= 4096; prompt += 128) {
            double flops = COMPUTE.generation("sim-math", prompt, List.of(64L));
            assertThat(flops).isGreaterThan(previous);
            previous = flops;
        }
        assertThat(COMPUTE.generation("sim-math", 100, List.of(10L, 10L)))
                .isGreaterThan(COMPUTE.generation("sim-math", 100, List.of(10L)));
    }

    @Test
    void theKvTermGrowsSuperlinearlyWithGenerationLengthWhileComputeGrowsLinearly() {
        ModelSize m = COMPUTE.model("sim-math");
        for (long c = 64; c <= 8192; c *= 2) {
            assertThat(m.computeFlops(2 * c)).isEqualTo(2 * m.computeFlops(c));
            assertThat(m.kvReadBytes(0, 2 * c)).isGreaterThan(2 * m.kvReadBytes(0, c));
            assertThat(m.kvReadBytes(0, 2 * c) / m.kvReadBytes(0, c)).isCloseTo(4, within(0.1));
        }
        // with a long prompt the KV term is also linear in the prompt: every generated token re-reads it
        assertThat(m.kvReadBytes(2000, 10) - m.kvReadBytes(1000, 10)).isEqualTo(m.kvBytesPerToken() * 10 * 1000);
    }

    @Test
    void aReservationBoundIsNeverBelowWhatTheSamplesMeasure() {
        double bound = COMPUTE.generationBound("sim-math", 300, 4, 128);
        assertThat(COMPUTE.generation("sim-math", 300, List.of(128L, 128L, 128L, 128L))).isEqualTo(bound);
        assertThat(COMPUTE.generation("sim-math", 280, List.of(128L, 3L, 90L, 0L))).isLessThan(bound);
        assertThat(COMPUTE.fromUsage("sim-math", 280, 128 + 3 + 90, 4, 1)).isLessThan(bound);
        // an even split is what the totals allow; uneven lengths read a little more KV cache
        assertThat(COMPUTE.fromUsage("sim-math", 280, 200, 2, 1))
                .isEqualTo(COMPUTE.generation("sim-math", 280, List.of(100L, 100L)))
                .isLessThan(COMPUTE.generation("sim-math", 280, List.of(150L, 50L)));
    }

    @Test
    void aNullPoolIsTheRunsModelAndAnUnknownPoolIsPricedAsTheBigFallback() {
        ComputeEstimator run = COMPUTE.forRun("arith-tiny");
        assertThat(run.model(null)).isEqualTo(COMPUTE.model("arith-tiny"));
        assertThat(COMPUTE.model(null)).isEqualTo(COMPUTE.unknownModel());
        assertThat(COMPUTE.model("some-new-pool")).isEqualTo(COMPUTE.unknownModel());
        assertThat(COMPUTE.generation("some-new-pool", 100, List.of(50L)))
                .isGreaterThan(COMPUTE.generation("sim-math", 100, List.of(50L)));
    }

    @Test
    void refusesNonsenseSizes() {
        assertThatThrownBy(() -> new ModelSize(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelSize(1e9, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ComputeEstimator(Map.of(), new ModelSize(1, 1, 1, 1), Double.NaN, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generationFlopsBoundsThePromptBytesPlusTemplateAndNTimesMaxTokens() {
        String prompt = "What is 6 * 7?";
        assertThat(Costs.generationFlops(COMPUTE, "sim-math", prompt, 3, 64))
                .isEqualTo(COMPUTE.generationBound("sim-math", Costs.promptTokensBound(prompt), 3, 64));
    }

    @Test
    void scoringFlopsCoverModelBackedScorersOnTheirPoolAndNothingElse() {
        String prompt = "What is 6 * 7?";
        List<String> texts = List.of("Answer: 42", "Answer: 41");
        assertThat(Costs.scoringFlops(COMPUTE, "sim-orm", prompt, texts)).isZero();
        assertThat(Costs.scorerPool("judge:arith-tiny:k=2")).isEqualTo("arith-tiny");
        assertThat(Costs.scorerPool("likelihood:sim-math")).isEqualTo("sim-math");
        assertThat(Costs.scorerPool("sim-prm:min")).isNull();

        double judge = Costs.scoringFlops(COMPUTE, "judge:arith-tiny:k=2", prompt, texts);
        long judgePrompt = Costs.promptTokensBound(prompt) + Costs.JUDGE_TEMPLATE_TOKENS + 10;
        assertThat(judge).isEqualTo(2 * 2 * COMPUTE.generationBound("arith-tiny", judgePrompt, 1, Costs.JUDGE_MAX_TOKENS));
        // what a judge reports (prompt once per candidate, k samples each) settles within the reservation
        assertThat(COMPUTE.fromUsage("arith-tiny", 2 * 40, 4 * Costs.JUDGE_MAX_TOKENS, 4, 2)).isLessThan(judge);

        assertThat(Costs.scoringFlops(COMPUTE, "likelihood:sim-math", prompt, texts))
                .isEqualTo(COMPUTE.prefill("sim-math", Costs.promptTokensBound(prompt) + 20));
    }

    @Test
    void affordableSamplesStopsAtTheFlopsCap() {
        String prompt = "What is 6 * 7?";
        double three = Costs.generationFlops(COMPUTE.forRun("sim-math"), null, prompt, 3, 100);
        double four = Costs.generationFlops(COMPUTE.forRun("sim-math"), null, prompt, 4, 100);
        var budget = new RunState.Budget(null, null, 0, 0, 0, 0, (three + four) / 2, 0, 0,
                COMPUTE.forRun("sim-math"));
        assertThat(Costs.affordableSamples(budget, prompt, 8, 100)).isEqualTo(3);
        assertThat(Costs.affordableSamples(budget, prompt, 2, 100)).isEqualTo(2);
        var exact = new RunState.Budget(null, null, 0, 0, 0, 0, three, 0, 0, COMPUTE.forRun("sim-math"));
        assertThat(Costs.affordableSamples(exact, prompt, 8, 100)).isEqualTo(3);
        double one = Costs.generationFlops(COMPUTE.forRun("sim-math"), null, prompt, 1, 100);
        var spent = new RunState.Budget(null, null, 0, 0, 0, 0, three, three - one - 1, 1, COMPUTE.forRun("sim-math"));
        assertThat(Costs.affordableSamples(spent, prompt, 8, 100)).isEqualTo(1);
        // another pool costs differently: the tiny model fits hundreds of samples in the same FLOPs
        assertThat(Costs.affordableSamples(spent, "arith-tiny", prompt, 1000, 100)).isBetween(100, 999);
        assertThat(Costs.affordableSamples(RunState.Budget.UNLIMITED, prompt, 8, 100)).isEqualTo(8);
    }

    @Test
    void aBudgetCoversAJobOnlyWhenEveryUnitHasRoom() {
        var budget = new RunState.Budget(100L, 5L, 40, 1, 10, 1, 1e9, 2e8, 3e8, COMPUTE);
        assertThat(budget.covers(50, 3, 5e8)).isTrue();
        assertThat(budget.covers(51, 3, 5e8)).isFalse();
        assertThat(budget.covers(50, 4, 5e8)).isFalse();
        assertThat(budget.covers(50, 3, 5e8 + 1)).isFalse();
        assertThat(RunState.Budget.UNLIMITED.covers(Long.MAX_VALUE, Long.MAX_VALUE, 1e300)).isTrue();
    }

    @Test
    void scoringIsAffordableOnlyWhenFlopsToo() {
        String prompt = "What is 6 * 7?";
        List<String> texts = List.of("Answer: 42");
        double judge = Costs.scoringFlops(COMPUTE, "judge:sim-math", prompt, texts);
        var enough = new RunState.Budget(null, null, 0, 0, 0, 0, judge, 0, 0, COMPUTE);
        var short_ = new RunState.Budget(null, null, 0, 0, 0, 0, judge - 1, 0, 0, COMPUTE);
        assertThat(Costs.canAffordScoring(enough, "judge:sim-math", prompt, texts)).isTrue();
        assertThat(Costs.canAffordScoring(short_, "judge:sim-math", prompt, texts)).isFalse();
        assertThat(Costs.canAffordScoring(short_, "sim-orm", prompt, texts)).isTrue();
    }
}
