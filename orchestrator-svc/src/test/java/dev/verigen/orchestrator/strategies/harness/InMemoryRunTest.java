package dev.verigen.orchestrator.strategies.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRunTest {

    private static PipelineSpec spec(int n) {
        return new PipelineSpec("best_of_n", n, "toy", VerifierSpec.of("exact"), "toy-orm",
                new SamplingParams(0.8, 1.0, 64, 11L, List.of(), false), 60);
    }

    @Test
    void bestOfNWithAVerifierFindsTheAnswerThatOneSampleOftenMisses() {
        var workers = new ToyWorkers(4, 0.8, 0.1, 42);
        int single = 0;
        int best = 0;
        for (long seed = 0; seed < 40; seed++) {
            var s1 = new PipelineSpec("best_of_n", 1, "toy", VerifierSpec.of("exact"), null,
                    new SamplingParams(0.8, 1.0, 64, seed, List.of(), false), 60);
            var s8 = new PipelineSpec("best_of_n", 8, "toy", VerifierSpec.of("exact"), null,
                    new SamplingParams(0.8, 1.0, 64, seed, List.of(), false), 60);
            var one = new InMemoryRun(new BestOfN(), s1, new RunInput("task", "42"), null, null, workers,
                    InMemoryRun.Delivery.IN_ORDER).run();
            var eight = new InMemoryRun(new BestOfN(), s8, new RunInput("task", "42"), null, null, workers,
                    InMemoryRun.Delivery.IN_ORDER).run();
            single += one.answer().text().endsWith("Answer: 42") ? 1 : 0;
            best += eight.answer().text().endsWith("Answer: 42") ? 1 : 0;
        }
        assertThat(best).isGreaterThan(single).isGreaterThanOrEqualTo(36);
    }

    @Test
    void chaoticDeliveryStillEndsAndNeverOverspends() {
        for (long seed = 0; seed < 50; seed++) {
            var outcome = new InMemoryRun(new BestOfN(), spec(8), new RunInput("task", "42"), 2_000L, null,
                    new ToyWorkers(4, 0.8, 0.1, 42), InMemoryRun.Delivery.chaotic(seed)).run();
            assertThat(outcome.status()).isIn("SUCCEEDED", "FAILED");
            assertThat(outcome.usedTokens()).isLessThanOrEqualTo(2_000L);
            assertThat(outcome.refusedReservations()).isZero();
        }
    }
}
