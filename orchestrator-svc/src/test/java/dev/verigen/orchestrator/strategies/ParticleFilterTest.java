package dev.verigen.orchestrator.strategies;

import static dev.verigen.orchestrator.strategies.BeamSearchTest.work;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.SamplingParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ParticleFilterTest {

    private static final String PRM = "sim-prm:last";
    private static final RunInput INPUT = new RunInput("What is 6 * 7?", "42");

    private static ScriptedRun run(int n, ParticleFilter.Options options) {
        return new ScriptedRun(new ParticleFilter(), new PipelineSpec("particle_filter", n, "sim-math", null, null,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60).withOptions(options), INPUT);
    }

    private static ParticleFilter.Options options(boolean anneal, int maxSteps) {
        return new ParticleFilter.Options(1.0, anneal, 0.5, maxSteps, PRM, "logit");
    }

    private static List<UUID> ids(ScriptedRun run, String label) {
        return run.state().candidates().stream().filter(c -> c.label().equals(label)).map(RunState.Candidate::id)
                .toList();
    }

    private static Map<UUID, Double> scores(List<UUID> ids, double... values) {
        Map<UUID, Double> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            out.put(ids.get(i), values[i]);
        }
        return out;
    }

    @Test
    void startsWithNFirstStepsFromThePrompt() {
        var run = run(4, options(true, 16));
        assertThat(work(run.start())).containsExactly(
                new Action.Generate("r1/p0", Role.GENERATE, null, null, 4, null, null, null, false, true));
    }

    @Test
    void particlesThatShareAPartialAreAdvancedByOneJobAskingForThatManySteps() {
        var run = run(4, options(false, 16));
        run.start();
        run.generated("r1/p0", "a", "b", "c", "d");
        List<UUID> first = ids(run, "r1/p0");
        // weights collapse onto a: every particle is resampled as a, so one job asks for four next steps of it
        assertThat(work(run.scored(scores(first, 0.99, 0.01, 0.01, 0.01))))
                .containsExactly(Action.Generate.nextStep("r2/p0", first.get(0), 4));
        assertThat(run.memo(ParticleFilter.Memo.class).particles()).containsOnly(first.get(0)).hasSize(4);
    }

    @Test
    void collapsedWeightsRaiseTheTemperatureWhenAnnealing() {
        var run = run(4, options(true, 16));
        run.start();
        run.generated("r1/p0", "a", "b", "c", "d");
        run.scored(scores(ids(run, "r1/p0"), 0.99, 0.01, 0.01, 0.01));
        ParticleFilter.Memo memo = run.memo(ParticleFilter.Memo.class);
        assertThat(memo.anneals()).isEqualTo(1);
        assertThat(memo.temperature()).isGreaterThan(1.0);
    }

    @Test
    void completeParticlesAreKeptAsideAndNotAdvanced() {
        var run = run(4, options(true, 16));
        run.start();
        run.generated("r1/p0", "Answer: 42", "b", "c", "d");
        List<UUID> first = ids(run, "r1/p0");
        // even weights: systematic resampling keeps every particle once
        List<Action> next = work(run.scored(scores(first, 0.7, 0.7, 0.7, 0.7)));
        assertThat(next).containsExactlyInAnyOrder(Action.Generate.nextStep("r2/p0", first.get(1), 1),
                Action.Generate.nextStep("r2/p1", first.get(2), 1), Action.Generate.nextStep("r2/p2", first.get(3), 1));
        assertThat(run.memo(ParticleFilter.Memo.class).kept()).containsExactly(first.get(0));
    }

    @Test
    void endsWhenEveryParticleIsCompleteWithTheBestOfThemAll() {
        var run = run(2, options(true, 16));
        run.start();
        run.generated("r1/p0", "Answer: 41", "b");
        List<UUID> first = ids(run, "r1/p0");
        run.scored(scores(first, 0.5, 0.5));
        run.generated("r2/p0", "Answer: 42");
        UUID right = ids(run, "r2/p0").getFirst();
        List<Action> end = run.scored(Map.of(right, 0.9));
        assertThat(end).singleElement().isInstanceOfSatisfying(Action.Finish.class, f -> {
            assertThat(f.candidateId()).isEqualTo(right);
            assertThat(f.reason()).contains("every particle complete", "best of 2 complete solutions");
        });
    }

    @Test
    void atTheStepLimitTheDistinctPartialsLeftAreCompleted() {
        var run = run(2, options(false, 1));
        run.start();
        run.generated("r1/p0", "a", "b");
        List<UUID> first = ids(run, "r1/p0");
        assertThat(work(run.scored(scores(first, 0.6, 0.5)))).containsExactly(
                Action.Generate.completion("fin/0", first.get(0), 1),
                Action.Generate.completion("fin/1", first.get(1), 1));
    }

    @Test
    void anUnscoredStepWeighsAsItsParentDid() {
        var run = run(2, options(false, 16));
        run.start();
        run.generated("r1/p0", "a", "b");
        List<UUID> first = ids(run, "r1/p0");
        run.scored(scores(first, 0.5, 0.5));
        run.generated("r2/p0", "a2");
        run.generated("r2/p1", "b2");
        UUID a2 = ids(run, "r2/p0").getFirst();
        UUID b2 = ids(run, "r2/p1").getFirst();
        // b2's score did not come back: it weighs 0.5 as b did, far above a2's 0.01
        List<Action> next = work(run.scored(Map.of(a2, 0.01)));
        assertThat(next).containsExactly(Action.Generate.nextStep("r3/p0", b2, 2));
    }

    @Test
    void theSameScoresResampleTheSameWay() {
        List<List<UUID>> populations = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var run = run(6, options(true, 16));
            run.start();
            run.generated("r1/p0", "a", "b", "c", "d", "e", "f");
            run.scored(scores(ids(run, "r1/p0"), 0.9, 0.2, 0.6, 0.4, 0.8, 0.3));
            populations.add(run.memo(ParticleFilter.Memo.class).particles());
        }
        assertThat(populations.get(0)).isEqualTo(populations.get(1));
    }

    @Test
    void aFailedRoundIsRetriedThenTheRunEndsWithWhatItHas() {
        var run = run(2, options(false, 16));
        run.start();
        assertThat(work(run.failed("r1/p0"))).containsExactly(
                new Action.Generate("r2/p0", Role.GENERATE, null, null, 2, null, null, null, false, true));
        run.generated("r2/p0", "Answer: 42", "b");
        List<UUID> first = ids(run, "r2/p0");
        assertThat(work(run.scored(scores(first, 0.5, 0.5))))
                .containsExactly(Action.Generate.nextStep("r3/p0", first.get(1), 1));
        run.failed("r3/p0");
        run.failed("r4/p0");
        assertThat(run.failed("r5/p0")).singleElement().isInstanceOfSatisfying(Action.Finish.class,
                f -> assertThat(f.candidateId()).isEqualTo(first.get(0)));
    }
}
