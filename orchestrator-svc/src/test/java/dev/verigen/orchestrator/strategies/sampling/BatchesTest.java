package dev.verigen.orchestrator.strategies.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.RunState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static final String PROMPT = "What is 6 * 7?";

    private static RunState state(String rewardModel, RunState.Budget budget) {
        var spec = new PipelineSpec("self_consistency", 8, "sim-math", null, rewardModel,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60);
        return new RunState(UUID.randomUUID(), spec, new RunInput(PROMPT, null), budget, List.of(), List.of());
    }

    @Test
    void samplesAreDealtRoundRobinOverTemperaturesAcrossBatches() {
        var plan = new Batches.Plan(8, new Adaptive(4, 0.95), List.of(0.3, 0.7, 1.0), false);
        assertThat(Batches.split(plan, 0, 8)).containsExactly(3, 3, 2);
        assertThat(Batches.split(plan, 0, 4)).containsExactly(2, 1, 1);
        assertThat(Batches.split(plan, 4, 4)).containsExactly(1, 2, 1);
        assertThat(Batches.split(plan, 6, 1)).containsExactly(1, 0, 0);
        var plain = new Batches.Plan(8, null, List.of(), false);
        assertThat(Batches.split(plain, 0, 5)).containsExactly(5);
    }

    @Test
    void eachBatchAndTemperatureGetsItsOwnLabel() {
        var plan = new Batches.Plan(8, new Adaptive(2, 0.95), List.of(0.3, 0.7, 1.0), false);
        assertThat(Batches.generations(plan, 2, 2, 2)).extracting(Action.Generate::label, Action.Generate::n,
                        Action.Generate::temperature)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("batch-2/t0=0.3", 1, 0.3),
                        org.assertj.core.groups.Tuple.tuple("batch-2/t2=1.0", 1, 1.0)); // samples 2 and 3
        assertThat(Batches.generations(new Batches.Plan(8, null, List.of(), false), 1, 0, 8))
                .containsExactly(new Action.Generate(8));
    }

    @Test
    void everyTemperatureJobPaysItsOwnPromptBound() {
        long bound = Costs.promptTokensBound(PROMPT);
        var plan = new Batches.Plan(8, null, List.of(0.3, 0.7, 1.0), false);
        // three jobs (3, 3 and 2 samples) pay three prompt bounds; a token short, the eighth sample no longer fits
        var enough = new RunState.Budget(3 * bound + 800, null, 0, 0, 0, 0);
        assertThat(Batches.affordable(state(null, enough), plan, 0, 8)).isEqualTo(8);
        var short1 = new RunState.Budget(3 * bound + 799, null, 0, 0, 0, 0);
        assertThat(Batches.affordable(state(null, short1), plan, 0, 8)).isEqualTo(7);
        var single = new Batches.Plan(8, null, List.of(), false);
        assertThat(Batches.affordable(state(null, short1), single, 0, 8)).isEqualTo(8);
    }

    @Test
    void leavesCallsForScoringWhenTheSelectionNeedsScores() {
        var calls = new RunState.Budget(null, 9L, 0, 0, 0, 0);
        assertThat(Batches.affordable(state("sim-orm", calls), new Batches.Plan(8, null, List.of(), true), 0, 8))
                .isEqualTo(4);
        assertThat(Batches.affordable(state("judge:sim-math", calls), new Batches.Plan(8, null, List.of(), true), 0, 8))
                .isEqualTo(1);
        assertThat(Batches.affordable(state("sim-orm", calls), new Batches.Plan(8, null, List.of(), false), 0, 8))
                .isEqualTo(8);
    }

    @Test
    void theReportCountsSamplesAndSaysWhySamplingStopped() {
        var plan = new Batches.Plan(16, new Adaptive(4, 0.95), List.of(), false);
        var s = new RunState(UUID.randomUUID(), state(null, RunState.Budget.UNLIMITED).spec(), new RunInput(PROMPT, null),
                RunState.Budget.UNLIMITED, List.of(), List.of(new RunState.Candidate(UUID.randomUUID(), 0, "Answer: 1",
                null, null, null)), java.util.Map.of("requested", 4, "batches", 1));
        assertThat(Batches.report(s, plan, "it is safe")).isEqualTo(
                "; adaptive: used 1 of 16 samples in 1 batch, stopped early: it is safe");
        assertThat(Batches.report(s, plan, null)).endsWith("stopped: the budget could not pay for more");
        assertThat(Batches.report(s, new Batches.Plan(4, new Adaptive(4, 0.95), List.of(), false), "it is safe"))
                .isEqualTo("; adaptive: used 1 of 4 samples in 1 batch");
        assertThat(Batches.report(s, new Batches.Plan(4, null, List.of(), false), null)).isEmpty();
    }
}
