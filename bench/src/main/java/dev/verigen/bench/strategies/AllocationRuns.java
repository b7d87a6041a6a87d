package dev.verigen.bench.strategies;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict;
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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one purchased pipeline in memory, exactly as {@link StrategyAccuracyBench} runs a strategy (the orchestrator's
 * decision function against the simulator's engine and reward models, timed delivery), and keeps what the allocator
 * needs of it. Tokens are the run's used tokens: prompt + completion of every generation; the simulated scorers
 * spend none, here as in every other row.
 */
final class AllocationRuns {

    private static final Map<String, Supplier<Strategy>> STRATEGIES = Map.of(BestOfN.NAME, BestOfN::new,
            SelfConsistency.NAME, SelfConsistency::new, ParticleFilter.NAME, ParticleFilter::new, Dvts.NAME, Dvts::new,
            BeamSearch.NAME, BeamSearch::new);

    private AllocationRuns() {
    }

    static ItemRun run(Purchase purchase, Task task, SimWorkers workers) {
        return run(purchase.itemId(), purchase.tag(), purchase.arm(), purchase.pipeline(), purchase.maxTokens(), task,
                workers);
    }

    static ItemRun run(String itemId, String tag, String arm, PipelineSpec spec, long maxTokens,
                       Task task, SimWorkers workers) {
        Strategy strategy = STRATEGIES.get(spec.strategy()).get();
        var outcome = new InMemoryRun(strategy, spec, new RunInput(task.prompt(), task.reference()), maxTokens, null,
                workers, InMemoryRun.Delivery.TIMED).run();
        List<Sample> samples = outcome.candidates().stream().filter(RunState.Candidate::isAnswer)
                .filter(RunState.Candidate::complete).map(AllocationRuns::sample).toList();
        String answer = outcome.succeeded() ? Answers.of(outcome.answer()) : null;
        Double score = outcome.succeeded() ? outcome.answer().score() : null;
        return new ItemRun(itemId, tag, arm, outcome.usedTokens(), samples, answer, score);
    }

    static Sample sample(RunState.Candidate c) {
        Boolean verified = c.verdict() == Verdict.Outcome.PASS ? Boolean.TRUE
                : c.verdict() == Verdict.Outcome.FAIL ? Boolean.FALSE : null;
        return new Sample(Answers.of(c), verified, c.score(), c.logprob(), c.completionTokens(),
                c.complete() && !"length".equals(c.finishReason()));
    }

    /** A voting arm's pipeline for {@code n} samples, as the allocator would buy it (for training runs). */
    static PipelineSpec votingSpec(Options options, int n, long seed) {
        var arm = options.votingArm();
        var s = new SamplingParams(options.temperature(), 1.0, options.sampleMaxTokens(), seed,
                List.of(), false);
        return new PipelineSpec(arm.strategy(), n, options.model(), null, options.rewardModel(), s, 300, arm.options());
    }

    static PipelineSpec searchSpec(Options options, Arm arm, long seed) {
        var s = new SamplingParams(options.temperature(), 1.0, options.sampleMaxTokens(), seed,
                List.of(), false);
        return new PipelineSpec(arm.strategy(), arm.n(), options.model(), null, options.rewardModel(), s, 300,
                arm.options());
    }
}
