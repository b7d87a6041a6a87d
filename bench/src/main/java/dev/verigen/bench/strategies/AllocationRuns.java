package dev.verigen.bench.strategies;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.allocation.Arm;
import dev.verigen.orchestrator.allocation.ItemRun;
import dev.verigen.orchestrator.allocation.Options;
import dev.verigen.orchestrator.allocation.Purchase;
import dev.verigen.orchestrator.allocation.Sample;
import dev.verigen.orchestrator.strategies.Answers;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.Strategy;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.Workers;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one purchased pipeline in memory, exactly as {@link StrategyAccuracyBench} runs a strategy (the orchestrator's
 * decision function against the bench's workers, timed delivery), and keeps what the allocator needs of it. Tokens
 * are the run's used tokens: prompt + completion of every generation; scorers and verifiers spend none, here as in
 * every other row.
 *
 * @param workers the engine, scorers and checker the runs use (the simulator's, or the real arith model's)
 * @param score   which number becomes each sample's score for the allocator
 */
record AllocationRuns(Workers workers, SampleScore score) {

    private static final Map<String, Supplier<Strategy>> STRATEGIES = Map.of(BestOfN.NAME, BestOfN::new,
            SelfConsistency.NAME, SelfConsistency::new, ParticleFilter.NAME, ParticleFilter::new, Dvts.NAME, Dvts::new,
            BeamSearch.NAME, BeamSearch::new);

    ItemRun run(Purchase purchase, Task task) {
        return run(purchase.itemId(), purchase.tag(), purchase.arm(), purchase.pipeline(), purchase.maxTokens(), task);
    }

    ItemRun run(String itemId, String tag, String arm, PipelineSpec spec, long maxTokens, Task task) {
        Strategy strategy = STRATEGIES.get(spec.strategy()).get();
        var outcome = new InMemoryRun(strategy, spec, new RunInput(task.prompt(), task.reference()), maxTokens, null,
                workers, InMemoryRun.Delivery.TIMED).run();
        List<Sample> samples = outcome.candidates().stream().filter(RunState.Candidate::isAnswer)
                .filter(RunState.Candidate::complete).map(this::sample).toList();
        String answer = outcome.succeeded() ? Answers.of(outcome.answer()) : null;
        Double score = outcome.succeeded() ? outcome.answer().score() : null;
        return new ItemRun(itemId, tag, arm, outcome.usedTokens(), samples, answer, score);
    }

    Sample sample(RunState.Candidate c) {
        Boolean verified = c.verdict() == Verdict.Outcome.PASS ? Boolean.TRUE
                : c.verdict() == Verdict.Outcome.FAIL ? Boolean.FALSE : null;
        return new Sample(Answers.of(c), verified, score.of(c), c.logprob(), c.completionTokens(),
                c.complete() && !"length".equals(c.finishReason()));
    }

    /**
     * A voting arm's pipeline for {@code n} samples, as the allocator would buy it (for training runs): verified when
     * the allocator's purchases are, so training features see the same pass rates.
     */
    static PipelineSpec votingSpec(Options options, int n, long seed) {
        var arm = options.votingArm();
        var s = new SamplingParams(options.temperature(), 1.0, options.sampleMaxTokens(), seed,
                List.of(), false);
        VerifierSpec verifier = options.verifier() == null ? null : VerifierSpec.of(options.verifier());
        return new PipelineSpec(arm.strategy(), n, options.model(), verifier, options.rewardModel(), s, 300,
                arm.options());
    }

    static PipelineSpec searchSpec(Options options, Arm arm, long seed) {
        var s = new SamplingParams(options.temperature(), 1.0, options.sampleMaxTokens(), seed,
                List.of(), false);
        return new PipelineSpec(arm.strategy(), arm.n(), options.model(), null,
                arm.rewardModel(options.rewardModel()), s, 300,
                arm.options());
    }
}
