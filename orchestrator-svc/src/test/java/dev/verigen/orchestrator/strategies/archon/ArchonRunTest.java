package dev.verigen.orchestrator.strategies.archon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyCompute;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** archon pipelines run to the end against the toy task model (whose judge and critic see every slip). */
class ArchonRunTest {

    private static final RunInput TASK = new RunInput("task", "42");
    private final Archon archon = new Archon();

    private PipelineSpec spec(String verifier, String rewardModel, long seed, String options) {
        return Fixtures.validated(archon, Fixtures.spec("archon", "toy", 1, verifier, rewardModel, 64, seed), options);
    }

    private InMemoryRun.Outcome run(PipelineSpec spec, ToyWorkers workers, Long maxTokens, InMemoryRun.Delivery delivery) {
        return new InMemoryRun(archon, spec, TASK, maxTokens, null, workers, delivery).run();
    }

    @Test
    void anEnsembleLayerGeneratesFromEveryPool() {
        var outcome = run(spec(null, null, 5, """
                {"layers": [[{"type": "generator", "pool": "toy", "samples": 3},
                             {"type": "generator", "pool": "toy-big", "samples": 2}],
                            [{"type": "ranker", "topK": 2}], [{"type": "fuser"}]]}"""),
                new ToyWorkers(4, 0.7, 0.1, 42), null, InMemoryRun.Delivery.IN_ORDER);
        assertThat(outcome.succeeded()).isTrue();
        Map<String, Long> byPool = outcome.candidates().stream().filter(c -> c.role() == Role.GENERATE)
                .collect(Collectors.groupingBy(RunState.Candidate::pool, Collectors.counting()));
        assertThat(byPool).isEqualTo(Map.of("toy", 3L, "toy-big", 2L));
        assertThat(outcome.answer().role()).isEqualTo(Role.FUSE);
        assertThat(outcome.candidates()).filteredOn(c -> c.role() == Role.RANK).hasSize(1);
    }

    @Test
    void samplesCheckedByAJudgeLayerBeatOneSample() {
        var workers = new ToyWorkers(4, 0.6, 0.1, 42);
        int single = 0;
        int judged = 0;
        for (long seed = 0; seed < 60; seed++) {
            var one = new InMemoryRun(new BestOfN(), Fixtures.spec("best_of_n", "toy", 1, null, null, 64, seed), TASK,
                    null, null, workers, InMemoryRun.Delivery.IN_ORDER).run();
            var outcome = run(spec(null, null, seed, """
                    {"layers": [[{"type": "generator", "samples": 8}], [{"type": "verifier"}], [{"type": "ranker", "topK": 1}]]}"""),
                    workers, null, InMemoryRun.Delivery.IN_ORDER);
            single += one.answer().text().endsWith("Answer: 42") ? 1 : 0;
            judged += outcome.answer().text().endsWith("Answer: 42") ? 1 : 0;
        }
        assertThat(judged).isGreaterThan(2 * single);
    }

    @Test
    void underChaoticDeliveryEveryPipelineEndsWithinBudgetWithAnAnswer() {
        String[] pipelines = {
            """
            {"layers": [[{"type": "generator", "pool": "toy", "samples": 3}, {"type": "generator", "pool": "toy-big", "samples": 2}],
                        [{"type": "ranker", "topK": 3}], [{"type": "critic"}], [{"type": "fuser", "samples": 2}]]}""",
            """
            {"config": {"name": "unit tests", "layers": [
              [{"type": "unit_test_generator", "model": "toy", "unit_test_cap": 3, "model_type": "vLLM"}],
              [{"type": "generator", "model": "toy", "samples": 4}],
              [{"type": "unit_test_evaluator", "model": "toy-big", "top_k": 2, "first_k": 1}],
              [{"type": "verifier"}]]}}""",
            """
            {"layers": [{"name": "draft", "components": [{"type": "generator", "samples": 4}]},
                        {"name": "pick", "from": ["fused", "draft"], "components": [{"type": "ranker", "topK": 2, "useCritiques": true}]},
                        {"name": "fused", "from": "draft", "components": [{"type": "fuser"}, {"type": "fuser", "pool": "toy-big"}]}]}""",
            """
            {"layers": [[{"type": "generator", "samples": 6}], [{"type": "verifier", "by": "verifier", "firstK": 2}],
                        [{"type": "fuser"}]]}"""};
        var workers = new ToyWorkers(4, 0.5, 0.1, 42);
        for (long seed = 0; seed < 200; seed++) {
            String options = pipelines[(int) (seed % pipelines.length)];
            boolean needsVerifier = options.contains("\"by\": \"verifier\"");
            String verifier = needsVerifier || seed % 2 == 0 ? "exact" : null;
            String scorer = seed % 3 == 0 ? null : seed % 7 == 0 ? "judge:toy" : "toy-orm";
            Long budget = seed % 5 == 0 ? null : 1_000L + 500 * (seed % 9);
            PipelineSpec spec = spec(verifier, scorer, seed, options);
            // some seeds are capped in FLOPs too, from one sample's worth of the run's model up (toy-big costs more)
            Double maxFlops = ToyCompute.cap(seed, spec, TASK.prompt());
            var outcome = new InMemoryRun(archon, spec, TASK, budget, null, maxFlops, ToyCompute.ESTIMATOR, workers,
                    InMemoryRun.Delivery.chaotic(seed)).run();
            assertThat(outcome.status()).isIn("SUCCEEDED", "FAILED");
            assertThat(outcome.refusedReservations()).as("seed %d: %s", seed, outcome.reason()).isZero();
            if (budget != null) {
                assertThat(outcome.usedTokens()).isLessThanOrEqualTo(budget);
            }
            if (maxFlops != null) {
                assertThat(outcome.usedFlops()).as("seed %d", seed).isLessThanOrEqualTo(maxFlops);
            }
            if (outcome.succeeded()) {
                assertThat(outcome.answer().isAnswer()).isTrue();
                assertThat(outcome.answer().complete()).isTrue();
                assertThat(outcome.answer().label()).doesNotContain("unit-tests");
            } else {
                assertThat(outcome.errorCode()).as("seed %d: %s", seed, outcome.reason())
                        .isIn("generation_failed", "budget_exhausted");
            }
        }
    }
}
