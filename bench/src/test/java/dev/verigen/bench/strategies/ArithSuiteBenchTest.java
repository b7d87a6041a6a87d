package dev.verigen.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.orchestrator.strategies.harness.Workers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arith benchmark's wiring on the real model, on a few questions (no timings). */
class ArithSuiteBenchTest {

    private static final Path MODEL = Path.of("../models/arith-tiny.gguf");
    private static final String QUESTION = "What is 40 + 96? Answer with just the number.";

    private static ArithWorkers workers;

    @BeforeAll
    static void load() {
        // one thread: two spin-wait for each other on a shared 2-core machine (the same samples either way)
        workers = new ArithWorkers(MODEL, 1);
    }

    @AfterAll
    static void close() {
        workers.close();
    }

    private static Workers.GenerationCall call(int n, boolean logprobs) {
        return new Workers.GenerationCall(QUESTION, Role.GENERATE, ArithWorkers.POOL, QUESTION, null, false, n,
                new SamplingParams(0.8, 1.0, 8, 11L, List.of(), logprobs), "");
    }

    @Test
    void everyMethodRunsAtEveryNAndTheOracleVerifierIsAnUpperBound() {
        var tasks = Task.of(BuiltInSuites.arith(5, 1));
        var measured = ArithSuiteBench.measure(tasks, 3, 2, workers);

        assertThat(measured.baselines()).hasSize(2).allSatisfy(p -> assertThat(p.result().failed()).isZero());
        assertThat(measured.byMethod()).containsOnlyKeys("majority vote", "verified best-of-N", "likelihood vote");
        measured.byMethod().values().forEach(points -> {
            assertThat(points).extracting(ArithSuiteBench.Point::n).containsExactly(1, 2);
            assertThat(points).allSatisfy(p -> {
                assertThat(p.result().failed()).isZero();
                assertThat(p.result().tasks()).isEqualTo(5);
                assertThat(p.completionTokens()).isPositive();
            });
        });
        // the same samples at each N: picking a verified one can only do as well as any vote, and at N=1 all agree
        var bon = measured.byMethod().get("verified best-of-N");
        for (String vote : List.of("majority vote", "likelihood vote")) {
            var points = measured.byMethod().get(vote);
            assertThat(points.getFirst().result().correct()).isEqualTo(bon.getFirst().result().correct());
            assertThat(bon.get(1).result().correct()).isGreaterThanOrEqualTo(points.get(1).result().correct());
            assertThat(points.get(1).result().tokens()).isEqualTo(bon.get(1).result().tokens());
        }
        // the single sample at T=0.8 is majority@1's sample
        assertThat(measured.baselines().getFirst().result().correct())
                .isEqualTo(measured.byMethod().get("majority vote").getFirst().result().correct());
    }

    @Test
    void samplesCarryLogprobsOnlyWhenAskedAndAnswerOnOneLine() {
        var with = workers.generate(call(3, true));
        var without = workers.generate(call(3, false));
        assertThat(with.samples()).hasSize(3).allSatisfy(s -> {
            assertThat(s.logprob()).isNotNull().isNegative();
            assertThat(s.text()).doesNotContain("\n").isNotBlank();
        });
        assertThat(without.samples()).allSatisfy(s -> assertThat(s.logprob()).isNull());
        assertThat(without.samples()).extracting(s -> s.text())
                .containsExactlyElementsOf(with.samples().stream().map(s -> s.text()).toList());
        // one prefill of the QA-rendered prompt, billed once per request
        assertThat(with.usage().promptTokens()).isGreaterThan(QUESTION.length());
        assertThat(with.usage().calls()).isEqualTo(3);
    }

    @Test
    void aLargerRequestExtendsTheDrawsTheEngineWouldMakeAfresh() {
        var small = workers.generate(call(2, true));
        var large = workers.generate(call(5, true));
        try (var fresh = new ArithWorkers(MODEL, 1)) {
            var direct = fresh.generate(call(5, true));
            assertThat(large.samples()).isEqualTo(direct.samples());
            assertThat(large.usage().completionTokens()).isEqualTo(direct.usage().completionTokens());
        }
        assertThat(large.samples().subList(0, 2)).isEqualTo(small.samples());
    }

    @Test
    void withoutARewardModelTheAllocatorReadsEachSamplesSequenceProbabilityAsItsScore() {
        var task = Task.of(BuiltInSuites.arith(1, 1)).getFirst();
        var options = ArithAllocation.options(ArithAllocation.VARIANTS.getFirst(), 400, 5, 8);
        var run = new AllocationRuns(workers, SampleScore.LIKELIHOOD).run(task.id(), "r0", "vote",
                AllocationRuns.votingSpec(options, 4, 5), 400, task);

        assertThat(run.samples()).hasSize(4).allSatisfy(s -> {
            assertThat(s.logprob()).isNotNull();
            assertThat(s.score()).isCloseTo(Math.exp(s.logprob()), within(1e-12)).isBetween(0.0, 1.0);
            assertThat(s.verified()).isNull(); // no verifier: the reference stays unseen
        });
    }

    @Test
    void computeOptimalLearnsOnQuestionsItNeverEvaluatesAndStaysWithinItsBudget() {
        var tasks = Task.of(BuiltInSuites.arith(5, 1));
        var train = ArithAllocation.trainingSplit(tasks, 12, 1); // the same generator: its first 5 are the evaluated
        assertThat(train).hasSize(7).extracting(Task::prompt)
                .doesNotContainAnyElementsOf(tasks.stream().map(Task::prompt).toList());

        var measured = ArithAllocation.measure(tasks, new ArithAllocation.Training(12, 1, train.size(), 2), train, 3,
                8, Map.of(8, 2_000L), workers);

        assertThat(measured.books().values()).hasSize(2).allSatisfy(l -> {
            assertThat(l.book().pool()).isEqualTo(ArithWorkers.POOL);
            assertThat(l.book().suite()).isEqualTo(BuiltInSuites.ARITH);
            // a request's prompt is billed once, its answers per sample: the cost model keeps them apart
            assertThat(l.book().runTokens()).isGreaterThan(10 * l.book().sampleTokens());
            assertThat(l.book().sampleTokens()).isPositive();
        });
        assertThat(measured.results()).hasSize(2).allSatisfy(a -> {
            assertThat(a.tokens()).isPositive().isLessThanOrEqualTo(a.budget());
            assertThat(a.purchases()).containsEntry("vote (pilot)", 5);
            assertThat(a.completionTokens()).isPositive();
        });
    }

    @Test
    void theNumericCheckReadsTheStatedNumber() {
        assertThat(workers.verify(QUESTION, "136", "136").outcome().name()).isEqualTo("PASS");
        assertThat(workers.verify(QUESTION, "136", " 136").extracted()).isEqualTo("136");
        assertThat(workers.verify(QUESTION, "136", "135").outcome().name()).isEqualTo("FAIL");
        assertThat(workers.verify(QUESTION, "136", "").outcome().name()).isEqualTo("FAIL");
    }
}
