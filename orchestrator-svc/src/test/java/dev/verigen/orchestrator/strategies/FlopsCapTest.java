package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyCompute;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A run whose FLOPs cap cannot pay for everything its strategy would like runs less of it, as under a token cap: every
 * strategy family sizes its jobs by FLOPs too (on the pool each job runs on), asks for fewer samples and ends with the
 * best it has, instead of asking for more than the cap and failing with budget_exhausted.
 */
class FlopsCapTest {

    private static final RunInput TASK = new RunInput("task", "42");
    private static final ToyWorkers WORKERS = new ToyWorkers(4, 0.7, 0.1, 42);
    private static final ComputeEstimator TOY = ToyCompute.ESTIMATOR.forRun("toy");

    private static PipelineSpec spec(String strategy, int n, String rm, long seed, Object options) {
        return new PipelineSpec(strategy, n, "toy", VerifierSpec.of("exact"), rm,
                new SamplingParams(0.8, 1.0, 64, seed, List.of(), false), 60).withOptions(options);
    }

    private static InMemoryRun.Outcome run(Strategy strategy, PipelineSpec spec, double maxFlops) {
        var outcome = new InMemoryRun(strategy, spec, TASK, null, null, maxFlops, ToyCompute.ESTIMATOR, WORKERS,
                InMemoryRun.Delivery.IN_ORDER).run();
        assertThat(outcome.refusedReservations()).as(outcome.reason()).isZero();
        assertThat(outcome.usedFlops()).isLessThanOrEqualTo(maxFlops);
        assertThat(outcome.succeeded()).as(outcome.errorCode() + ": " + outcome.reason()).isTrue();
        return outcome;
    }

    /** The FLOPs one generation job of n samples of the run's model reserves. */
    private static double samples(int n) {
        return Costs.generation(TOY, null, TASK.prompt(), n, 64).flops();
    }

    /** Less than one more sample of a job: what a sample adds once the job has paid for reading the prompt. */
    private static double lessThanASample() {
        return (samples(2) - samples(1)) / 2;
    }

    private static long answersLabelled(InMemoryRun.Outcome outcome, String prefix) {
        return outcome.candidates().stream().filter(c -> c.isAnswer() && c.label().startsWith(prefix)).count();
    }

    @Test
    void samplingStrategiesDrawWhatTheFlopsCapPaysFor() {
        // a job reserves its samples at max tokens: usage settles below that, but the sampling is sized at the start
        // one job of three samples fits exactly; a fourth does not
        var best = run(new BestOfN(), spec(BestOfN.NAME, 8, "toy-orm", 1, new BestOfN.Options(null, null)),
                samples(3));
        assertThat(best.candidates()).filteredOn(RunState.Candidate::isAnswer).hasSize(3);

        var voted = run(new SelfConsistency(), spec(SelfConsistency.NAME, 8, null, 2,
                new SelfConsistency.Options(null, null, null)), samples(4) + lessThanASample());
        assertThat(voted.candidates()).filteredOn(RunState.Candidate::isAnswer).hasSize(4);

        // first finish sends one job per sample: each pays the prompt again
        var first = run(new FirstFinish(), spec(FirstFinish.NAME, 8, null, 3, new FirstFinish.Options(false, true)),
                2 * samples(1));
        assertThat(first.steps()).filteredOn(s -> s.kind() == StepKind.GENERATION).hasSize(2);
    }

    @Test
    void stepwiseSearchExpandsFewerBeamsUnderAFlopsCap() {
        // a round wants 9 first steps; the cap pays for them, but not also for completing a solution afterwards
        var spec = StepwiseSearchHarnessTest.beam(4, 3, 3, 0, false);
        var outcome = run(new BeamSearch(), spec, samples(9));
        assertThat(answersLabelled(outcome, "r1/")).isBetween(1L, 8L);
        assertThat(outcome.answer().complete()).isTrue();

        var filter = run(new ParticleFilter(), StepwiseSearchHarnessTest.particles(4, 8, true), samples(8));
        assertThat(answersLabelled(filter, "r1/")).isBetween(1L, 7L);
    }

    @Test
    void iadRefinesFewerAnswersUnderAFlopsCap() {
        var iad = new IterativeAgentDecoding();
        PipelineSpec spec = Fixtures.validated(iad, Fixtures.spec("iad", "toy", 4, null, "toy-orm", 64, 5),
                "{\"maxRounds\": 8, \"patience\": 8}");
        // the first round samples two answers, not four; refinements then run on what their usage left over
        var outcome = run(iad, spec, samples(2) + lessThanASample());
        assertThat(answersLabelled(outcome, "iad/r0")).isEqualTo(2);
    }

    @Test
    void anArchonEnsemblePricesEachComponentOnItsOwnPool() {
        var archon = new Archon();
        PipelineSpec spec = Fixtures.validated(archon, Fixtures.spec("archon", "toy", 1, null, null, 64, 5), """
                {"layers": [[{"type": "generator", "pool": "toy", "samples": 3},
                             {"type": "generator", "pool": "toy-big", "samples": 2}],
                            [{"type": "ranker", "topK": 2}]]}""");
        // three samples of toy and one of toy-big (priced as the bigger model it is), not two of toy-big
        double cap = samples(3) + Costs.generation(TOY, "toy-big", TASK.prompt(), 1, 64).flops()
                + lessThanASample();
        var outcome = run(archon, spec, cap);
        Map<String, Long> byPool = outcome.candidates().stream().filter(c -> c.role() == Role.GENERATE)
                .collect(Collectors.groupingBy(RunState.Candidate::pool, Collectors.counting()));
        assertThat(byPool).isEqualTo(Map.of("toy", 3L, "toy-big", 1L));
        assertThat(outcome.answer().isAnswer()).isTrue();
    }
}
