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

    /** Sample {@code sample-i} is 10·(i+1) tokens long and takes as many engine milliseconds. */
    private static final Workers LENGTHS = new Workers() {
        @Override
        public Generated generate(GenerationCall call) {
            int i = Integer.parseInt(call.label().substring("sample-".length()));
            long tokens = 10L * (i + 1);
            var sample = new dev.verigen.contracts.GenerationResult.Sample(0, "x".repeat((int) tokens) + " Answer: " + i,
                    "stop", tokens, null);
            return new Generated(List.of(sample), new dev.verigen.contracts.Usage(5, tokens, 1, tokens, tokens));
        }

        @Override
        public Checked verify(String prompt, String reference, String text) {
            return new Checked(dev.verigen.contracts.Verdict.Outcome.FAIL, null);
        }

        @Override
        public double score(String scorer, String prompt, String text) {
            return 0.5;
        }
    };

    @Test
    void anAbortedJobIsBilledOnlyForTheTokensDecodedBeforeItWasStopped() {
        var spec = new PipelineSpec("first_finish", 4, "toy", null, null,
                new SamplingParams(0.8, 1.0, 64, 1L, List.of(), false), 60).withOptions(java.util.Map.of());
        var strategy = new dev.verigen.orchestrator.strategies.FirstFinish();
        var aborting = new InMemoryRun(strategy, spec, new RunInput("task", null), null, null, LENGTHS,
                InMemoryRun.Delivery.TIMED).run();
        var finishing = new InMemoryRun(strategy, spec, new RunInput("task", null), null, null, LENGTHS,
                InMemoryRun.Delivery.TIMED_NO_ABORT).run();

        assertThat(aborting.answer().text()).endsWith("Answer: 0");
        assertThat(finishing.answer().text()).endsWith("Answer: 0");
        // the winner finished at t = 10: each of the three others had decoded 10 of its 20, 30, 40 tokens
        assertThat(aborting.usedTokens()).isEqualTo(4 * 5 + 4 * 10);
        assertThat(aborting.aborted()).isEqualTo(3);
        assertThat(aborting.tokensSaved()).isEqualTo(10 + 20 + 30);
        assertThat(finishing.usedTokens()).isEqualTo(4 * 5 + 10 + 20 + 30 + 40);
        assertThat(finishing.aborted()).isZero();
        assertThat(aborting.engineMs()).isEqualTo(finishing.engineMs()).isEqualTo(10);
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
