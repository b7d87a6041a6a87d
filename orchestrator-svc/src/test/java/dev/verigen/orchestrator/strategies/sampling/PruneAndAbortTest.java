package dev.verigen.orchestrator.strategies.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.Strategy;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.Workers;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Mid-generation pruning and adaptive sampling with engine-side abort, run in memory on timed workers. */
class PruneAndAbortTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Sample {@code sample-i} is 40 tokens: "good …" with answer 7 when i % 4 == 0, else "bad …" with answer 3 (a
     * text that starts as it ends, so a snapshot tells). It takes 40 + 2i engine milliseconds, so later samples
     * finish later. The reward model rates good text 0.9 and bad text 0.1.
     */
    private static final Workers WORKERS = new Workers() {
        @Override
        public Generated generate(GenerationCall call) {
            int i = Integer.parseInt(call.label().replaceAll(".*sample-", ""));
            String text = (i % 4 == 0 ? "good " : "bad  ").repeat(31) + "Answer: " + (i % 4 == 0 ? 7 : 3);
            return new Generated(List.of(new Sample(0, text, "stop", 40, null)),
                    new Usage(5, 40, 1, 40 + 2L * i, 40 + 2L * i));
        }

        @Override
        public Checked verify(String prompt, String reference, String text) {
            return new Checked(text.endsWith(reference) ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL, null);
        }

        @Override
        public double score(String scorer, String prompt, String text) {
            return text.startsWith("good") ? 0.9 : 0.1;
        }
    };

    private static PipelineSpec spec(Strategy strategy, String name, int n, String rewardModel, String options) {
        var base = new PipelineSpec(name, n, "toy", null, rewardModel,
                new SamplingParams(0.8, 1.0, 64, 3L, List.of(), false), 60);
        var fields = new JsonFields();
        Object normalised = strategy.options(new StrategyOptions(JSON.readTree(options), fields, base, false,
                Set.of("toy"), Set.of("toy-orm"), Set.of("exact")));
        assertThat(fields.errors()).isEmpty();
        return base.withOptions(normalised);
    }

    @Test
    void pruningStopsTheSamplesWhoseSnapshotsScoreLowAndBillsOnlyWhatTheyGenerated() {
        var strategy = new BestOfN();
        var spec = spec(strategy, "best_of_n", 8, "toy-orm", "{\"prune\": {\"at\": 10, \"keep\": 0.25}}");
        var outcome = new InMemoryRun(strategy, spec, new RunInput("task", null), null, null, WORKERS,
                InMemoryRun.Delivery.TIMED).run();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.answer().text()).endsWith("Answer: 7");
        assertThat(outcome.reason()).contains("pruned at 10 tokens by toy-orm: 2 of 8 samples ran on, 6 stopped");
        // every sample reported at 10, 20 and 30 tokens until stopped; the snapshots are no answers
        assertThat(outcome.candidates().stream().filter(RunState.Candidate::isSnapshot).count()).isGreaterThanOrEqualTo(8);
        assertThat(outcome.candidates().stream().filter(c -> !c.isSnapshot() && c.complete()).map(RunState.Candidate::label))
                .containsExactlyInAnyOrder("sample-0", "sample-4");
        assertThat(outcome.steps().stream().filter(s -> s.kind() == StepKind.GENERATION
                && s.status() == RunState.Step.Status.CANCELLED)).hasSize(6);
        assertThat(outcome.aborted()).isEqualTo(6);
        // 8 prompts, 2 full samples, 6 cut around the checkpoint (the snapshots' scoring takes no engine time here)
        long full = 8 * 5 + 8 * 40;
        assertThat(outcome.usedTokens()).isLessThan(full - 6 * 25).isGreaterThanOrEqualTo(8 * 5 + 2 * 40 + 6 * 10);
    }

    @Test
    void aCheckpointPastEverySampleLetsTheRunAnswerOnceTheLastIsJudged() {
        // every sample (40 tokens) ends before the checkpoint: nothing is pruned, and the run still ends (it once
        // stopped deciding when the last answer's scoring came back and the checkpoint found no sample running)
        var strategy = new BestOfN();
        var spec = spec(strategy, "best_of_n", 8, "toy-orm", "{\"prune\": {\"at\": 48, \"keep\": 0.25}}");
        for (var delivery : List.of(InMemoryRun.Delivery.TIMED, InMemoryRun.Delivery.IN_ORDER)) {
            var outcome = new InMemoryRun(strategy, spec, new RunInput("task", null), null, null, WORKERS, delivery)
                    .run();

            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.answer().text()).endsWith("Answer: 7");
            assertThat(outcome.reason()).contains("every sample finished before its checkpoint at 48 tokens");
            assertThat(outcome.aborted()).isZero();
        }
    }

    @Test
    void pruningNeedsAScorerAndDoesNotMixWithAdaptive() {
        var strategy = new BestOfN();
        var base = new PipelineSpec("best_of_n", 8, "toy", null, null,
                new SamplingParams(0.8, 1.0, 64, 3L, List.of(), false), 60);
        var fields = new JsonFields();
        strategy.options(new StrategyOptions(JSON.readTree("{\"prune\": true, \"adaptive\": true}"), fields, base, false,
                Set.of("toy"), Set.of("toy-orm"), Set.of("exact")));
        assertThat(fields.errors()).extracting(e -> e.field())
                .contains("pipeline.options.prune.scorer", "pipeline.options.prune");
    }

    @Test
    void adaptiveVotingWithAbortAnswersOnceSettledAndStopsTheRest() {
        var strategy = new SelfConsistency();
        // every sample says 7; with abort, three agreeing answers settle the vote at confidence 0.9 (P = 0.9375)
        Workers agreeing = new Workers() {
            @Override
            public Generated generate(GenerationCall call) {
                int i = Integer.parseInt(call.label().replaceAll(".*sample-", ""));
                return new Generated(List.of(new Sample(0, "x".repeat(100) + " Answer: 7", "stop", 40, null)),
                        new Usage(5, 40, 1, 40 + 10L * i, 40 + 10L * i));
            }

            @Override
            public Checked verify(String prompt, String reference, String text) {
                return new Checked(Verdict.Outcome.FAIL, null);
            }

            @Override
            public double score(String scorer, String prompt, String text) {
                return 0.5;
            }
        };
        var spec = spec(strategy, "self_consistency", 16, null, "{\"adaptive\": {\"confidence\": 0.9, \"abort\": true}}");
        var outcome = new InMemoryRun(strategy, spec, new RunInput("task", null), null, null, agreeing,
                InMemoryRun.Delivery.TIMED).run();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.reason()).contains("adaptive (abort): settled with 3 of 16 samples back")
                .contains("the 13 still running were stopped");
        assertThat(outcome.aborted()).isEqualTo(13);
        // the answer came when the third sample finished, at t = 60: the rest had decoded 60 ms of their 40-token
        // samples pro rata; far less than 16 full samples
        assertThat(outcome.engineMs()).isEqualTo(60);
        assertThat(outcome.usedTokens()).isLessThan(16 * 45);
    }
}
