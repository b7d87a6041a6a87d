package dev.verigen.orchestrator.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What step-wise search is for, on ToyWorkers' six-step task (each step right 80% of the time, one slip dooms the
 * answer, the PRM sees slips through noise): pruning slipped partials early finds right answers that best-of-N with
 * an outcome reward model misses, on fewer generated tokens. No verifier: the search's own scores choose.
 */
class StepwiseSearchHarnessTest {

    private static final int RUNS = 60;
    private static final RunInput INPUT = new RunInput("task", "42");
    private static final ToyWorkers WORKERS = new ToyWorkers(6, 0.8, 0.3, 42);

    private static SamplingParams sampling(long seed) {
        return new SamplingParams(0.8, 1.0, 64, seed, List.of(), false);
    }

    static PipelineSpec beam(long seed, int width, int k, int lookahead, boolean dvts) {
        return new PipelineSpec(BeamSearch.NAME, 1, "toy", null, null, sampling(seed), 60)
                .withOptions(new BeamSearch.Options(width, k, 16, lookahead, "sim-prm:last", dvts));
    }

    static PipelineSpec particles(long seed, int n, boolean anneal) {
        return new PipelineSpec(ParticleFilter.NAME, n, "toy", null, null, sampling(seed), 60)
                .withOptions(new ParticleFilter.Options(1.0, anneal, 0.5, 16, "sim-prm:last", "logit"));
    }

    /** Entropic particle filtering: annealing and look-ahead modulation. */
    static PipelineSpec entropic(long seed, int n) {
        return new PipelineSpec(ParticleFilter.NAME, n, "toy", null, null, sampling(seed), 60)
                .withOptions(new ParticleFilter.Options(1.0, true, 0.5, 16, "sim-prm:last", "logit", true, 0.5));
    }

    static PipelineSpec aStar(long seed, int k, int keep, int parallel) {
        return new PipelineSpec(AStar.NAME, 1, "toy", null, null, sampling(seed), 60)
                .withOptions(new AStar.Options(k, keep, 64, parallel, 1, 64, 0.1, "sim-prm:last"));
    }

    private static PipelineSpec bestOf(long seed, int n) {
        return new PipelineSpec(BestOfN.NAME, n, "toy", null, n == 1 ? null : "sim-orm", sampling(seed), 60);
    }

    /** Right answers out of {@link #RUNS} and the tokens generated on average. */
    private record Tally(int right, long generatedTokens) {
    }

    private static Tally tally(Strategy strategy, LongFunction<PipelineSpec> spec) {
        int right = 0;
        long generated = 0;
        for (long seed = 0; seed < RUNS; seed++) {
            var outcome = new InMemoryRun(strategy, spec.apply(seed), INPUT, null, null, WORKERS,
                    InMemoryRun.Delivery.IN_ORDER).run();
            right += outcome.succeeded() && outcome.answer().text().endsWith("Answer: 42") ? 1 : 0;
            generated += outcome.candidates().stream().mapToLong(RunState.Candidate::completionTokens).sum();
        }
        return new Tally(right, generated / RUNS);
    }

    private static Tally single;
    private static Tally bestOf4;

    @BeforeAll
    static void baselines() {
        single = tally(new BestOfN(), seed -> bestOf(seed, 1));
        bestOf4 = tally(new BestOfN(), seed -> bestOf(seed, 4));
    }

    @Test
    void beamSearchWithAPrmBeatsBestOfNOnFewerGeneratedTokens() {
        Tally beam = tally(new BeamSearch(), seed -> beam(seed, 2, 2, 0, false));
        assertThat(single.right()).isLessThan(RUNS / 3);
        assertThat(beam.generatedTokens()).isLessThanOrEqualTo(bestOf4.generatedTokens());
        assertThat(beam.right()).isGreaterThan(bestOf4.right()).isGreaterThanOrEqualTo(RUNS * 9 / 10);
    }

    @Test
    void dvtsAndLookAheadAlsoBeatASingleSampleAndBestOfN() {
        Tally dvts = tally(new Dvts(), seed -> beam(seed, 2, 2, 0, true));
        Tally lookahead = tally(new BeamSearch(), seed -> beam(seed, 2, 2, 1, false));
        assertThat(dvts.right()).isGreaterThan(bestOf4.right()).isGreaterThan(single.right() * 2);
        assertThat(lookahead.right()).isGreaterThan(bestOf4.right());
    }

    @Test
    void particleFilteringBeatsBestOfNOnFewerGeneratedTokens() {
        Tally filter = tally(new ParticleFilter(), seed -> particles(seed, 4, true));
        Tally plain = tally(new ParticleFilter(), seed -> particles(seed, 4, false));
        assertThat(filter.generatedTokens()).isLessThanOrEqualTo(bestOf4.generatedTokens());
        assertThat(filter.right()).isGreaterThan(bestOf4.right()).isGreaterThanOrEqualTo(RUNS * 9 / 10);
        assertThat(plain.right()).isGreaterThan(bestOf4.right());
        // look-ahead modulation rolls every new step on once more: it finds as many, on more tokens
        Tally entropic = tally(new ParticleFilter(), seed -> entropic(seed, 4));
        assertThat(entropic.right()).isGreaterThanOrEqualTo(RUNS * 9 / 10);
        assertThat(entropic.generatedTokens()).isGreaterThan(filter.generatedTokens());
    }

    @Test
    void aStarBeatsBestOfNOnFarFewerGeneratedTokensAndFollowsOnePathAtATime() {
        Tally aStar = tally(new AStar(), seed -> aStar(seed, 3, 1, 1));
        assertThat(aStar.right()).isGreaterThan(bestOf4.right()).isGreaterThanOrEqualTo(RUNS * 8 / 10);
        assertThat(aStar.generatedTokens()).isLessThan(bestOf4.generatedTokens());
        var outcome = new InMemoryRun(new AStar(), aStar(3, 3, 1, 1), INPUT, null, null, WORKERS,
                InMemoryRun.Delivery.IN_ORDER).run();
        assertThat(outcome.reason()).startsWith("a_star (1 solution popped after ");
        // strict best-first: one expansion job per round after the root's
        List<String> labels = outcome.steps().stream().filter(st -> st.kind() == StepKind.GENERATION)
                .map(RunState.Step::label).filter(l -> l.startsWith("x")).toList();
        assertThat(labels).allSatisfy(l -> assertThat(l).endsWith("/e0"));
    }

    @Test
    void theSameSpecAndSeedReplayTheSameDecisions() {
        List<Strategy> strategies = List.of(new BeamSearch(), new Dvts(), new BeamSearch(), new ParticleFilter(),
                new AStar(), new ParticleFilter());
        for (long seed = 0; seed < 20; seed++) {
            List<PipelineSpec> specs = List.of(beam(seed, 3, 2, 0, false), beam(seed, 3, 2, 0, true),
                    beam(seed, 2, 2, 1, false), particles(seed, 6, true), aStar(seed, 3, 2, 2), entropic(seed, 5));
            for (int i = 0; i < specs.size(); i++) {
                var delivery = InMemoryRun.Delivery.chaotic(seed);
                var spec = new PipelineSpec(specs.get(i).strategy(), specs.get(i).n(), "toy", VerifierSpec.of("exact"),
                        "sim-orm", specs.get(i).sampling(), 60, specs.get(i).options());
                var first = new InMemoryRun(strategies.get(i), spec, INPUT, 3_000L, null, WORKERS, delivery).run();
                var again = new InMemoryRun(strategies.get(i), spec, INPUT, 3_000L, null, WORKERS, delivery).run();
                assertThat(again.status()).isEqualTo(first.status());
                assertThat(again.reason()).isEqualTo(first.reason());
                assertThat(again.usedTokens()).isEqualTo(first.usedTokens());
                assertThat(again.steps().stream().map(RunState.Step::label).toList())
                        .isEqualTo(first.steps().stream().map(RunState.Step::label).toList());
                assertThat(again.candidates().stream().map(RunState.Candidate::text).toList())
                        .isEqualTo(first.candidates().stream().map(RunState.Candidate::text).toList());
                if (first.succeeded()) {
                    assertThat(again.answer().text()).isEqualTo(first.answer().text());
                }
            }
        }
    }
}
