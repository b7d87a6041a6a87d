package dev.verigen.reward.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.sim.SimOrmProperties;
import dev.verigen.reward.sim.SimulatedOutcomeRewardModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PairwiseAndAggregationTest {

    private static JobMeta meta() {
        return new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "t", null, null);
    }

    @Test
    void aggregationRules() {
        double[] steps = {0.9, 0.5, 0.8};
        assertThat(Aggregation.LAST.apply(steps)).isEqualTo(0.8);
        assertThat(Aggregation.MIN.apply(steps)).isEqualTo(0.5);
        assertThat(Aggregation.PRODUCT.apply(steps)).isCloseTo(0.36, within(1e-12));
        assertThat(Aggregation.MEAN.apply(steps)).isCloseTo(2.2 / 3, within(1e-12));
        for (Aggregation a : Aggregation.values()) {
            assertThat(a.apply(new double[0])).isZero();
            assertThat(Aggregation.parse(" " + a.key().toUpperCase() + " ")).contains(a);
        }
        assertThat(Aggregation.parse("median")).isEmpty();
    }

    @Test
    void stepSplitting() {
        assertThat(Steps.split("a\n\n\nb\n", "\n")).containsExactly("a", "b");
        assertThat(Steps.split("Step 1: x\n\nStep 2: y\nstill 2\n\nAnswer: 3", "\n\n"))
                .containsExactly("Step 1: x", "Step 2: y\nstill 2", "Answer: 3");
        assertThat(Steps.split("one step", "\n")).containsExactly("one step");
        assertThat(Steps.split("  ", "\n")).isEmpty();
        assertThat(Steps.unescape("\\n\\n")).isEqualTo("\n\n");
    }

    @Test
    void bradleyTerryWinRatesFromTheSimOrmOrderCandidatesAsItsScores() {
        var orm = new SimulatedOutcomeRewardModel(SimOrmProperties.independent(42, 1.5, 1.0, Duration.ZERO),
                new SimpleMeterRegistry());
        var registry = new ScorerRegistry(List.of(orm));
        var pairwise = registry.find("sim-orm:pairwise").orElseThrow();
        assertThat(pairwise.name()).isEqualTo("sim-orm:pairwise");
        for (int round = 0; round < 20; round++) {
            List<CandidateRef> cs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                cs.add(new CandidateRef(UUID.randomUUID(), "work " + round + "/" + i + ". Answer: " + (40 + i % 3)));
            }
            var job = new ScoringJob(meta(), "sim-orm:pairwise", "Problem " + round, cs);
            List<Score> base = orm.score(job).scores();
            List<Score> wins = pairwise.score(job).scores();
            assertThat(wins).extracting(Score::candidateId).isEqualTo(base.stream().map(Score::candidateId).toList());
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    if (base.get(i).value() > base.get(j).value()) {
                        assertThat(wins.get(i).value()).isGreaterThan(wins.get(j).value());
                    }
                }
            }
            assertThat(wins).allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1.0));
            assertThat(wins.stream().mapToDouble(Score::value).average().orElseThrow()).isCloseTo(0.5, within(1e-9));
        }
    }

    @Test
    void judgedWinRatesCountEveryPairOnce() {
        double[] strength = {0.3, 0.9, 0.6};
        List<CandidateRef> cs = IntStream.range(0, 3).mapToObj(i -> new CandidateRef(UUID.randomUUID(), "c" + i)).toList();
        var calls = new AtomicInteger();
        var scorer = PairwiseScorer.judged("judge", (job, a, b) -> {
            calls.incrementAndGet();
            int i = cs.indexOf(a);
            int j = cs.indexOf(b);
            // a hard judge: the stronger wins
            return new PairwiseScorer.Comparison(strength[i] > strength[j] ? 1 : 0, new Usage(1, 0, 2, 0, 0));
        }, 2);
        Scored scored = scorer.score(new ScoringJob(meta(), "judge", "p", cs));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(scored.scores()).extracting(Score::value).containsExactly(0.0, 1.0, 0.5);
        assertThat(scored.usage().calls()).isEqualTo(6);
        Scored single = scorer.score(new ScoringJob(meta(), "judge", "p", cs.subList(0, 1)));
        assertThat(single.scores().getFirst().value()).isEqualTo(0.5);
    }
}
