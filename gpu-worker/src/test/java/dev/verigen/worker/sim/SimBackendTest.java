package dev.verigen.worker.sim;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.simulation.ArithmeticOracle;
import dev.verigen.worker.engine.EngineErrors;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimBackendTest {

    private static final Pattern ANSWER = Pattern.compile("\\nAnswer: (-?\\d+)$");

    private final List<Duration> spent = new ArrayList<>();
    private final SimBackend sim = new SimBackend(SimProperties.defaults(), spent::add);
    /** A coin per sample: the latent solve rate alone, for the tests of that rate. */
    private final SimBackend flat = new SimBackend(SimProperties.defaults().withRealism(SimProperties.Realism.OFF),
            spent::add);

    @Test
    void empiricalSolveRateMatchesTheLatentRateAndWrongAnswersAreNeverTrue() {
        List<Double> rates = new ArrayList<>();
        for (String task : List.of("What is 17 + 25?", "Compute (3 + 4) * 5 - 2.", "What is 123 * 45 - 678?",
                "Q: What is 40 + 96? Answer with just the number.")) {
            double p = flat.model().solveRate(task);
            long truth = new ArithmeticOracle().solve(task).orElseThrow().answer();
            EngineOutput out = flat.generate(request(task, task, 2000, sampling(256, 11L)));
            int correct = 0;
            for (Sample s : out.samples()) {
                long answer = answer(s.text());
                if (answer == truth) {
                    correct++;
                }
            }
            assertThat(correct / 2000.0).as("solve rate of %s", task).isCloseTo(p, within(0.04));
            rates.add(p);
        }
        // latent rates differ between prompts: the simulator models difficulty, not a coin with one bias
        assertThat(rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isGreaterThan(0.05);
    }

    @Test
    void difficultyShiftsSolveRates() {
        var hard = new TaskModel(new SimProperties.SolveRate(2.0, 2.0, 2.0));
        var easy = new TaskModel(new SimProperties.SolveRate(2.0, 2.0, -2.0));
        String task = "What is 17 + 25?";
        assertThat(hard.solveRate(task)).isLessThan(sim.model().solveRate(task)).isLessThan(easy.solveRate(task));
    }

    @Test
    void samplesAreStepStructuredAndReproducible() {
        var req = request("What is 17 + 25?", "What is 17 + 25?", 8, sampling(256, 5L));
        List<Sample> first = sim.generate(req).samples();
        List<Sample> again = new SimBackend(SimProperties.defaults(), spent::add).generate(req).samples();
        List<Sample> otherSeed = sim.generate(request("What is 17 + 25?", "What is 17 + 25?", 8, sampling(256, 6L))).samples();

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        assertThat(first).allSatisfy(s -> {
            String[] lines = s.text().split("\n");
            assertThat(lines.length).isGreaterThanOrEqualTo(3);
            assertThat(lines[0]).startsWith("Step 1: ");
            assertThat(lines[lines.length - 1]).matches("Answer: -?\\d+");
            assertThat(s.finishReason()).isEqualTo("stop");
            assertThat(s.completionTokens()).isEqualTo(Math.max(1, (s.text().length() + 3) / 4));
        });
        // sample i uses seed + i: sample 1 of seed 5 is sample 0 of seed 6
        assertThat(otherSeed.get(0).text()).isEqualTo(first.get(1).text());
    }

    @Test
    void greedyDecodingGivesIdenticalSamples() {
        var greedy = new SamplingParams(0.0, 1.0, 256, 3L, List.of(), false);
        List<Sample> samples = sim.generate(request("What is 17 + 25?", "What is 17 + 25?", 5, greedy)).samples();
        assertThat(samples).extracting(Sample::text).containsOnly(samples.get(0).text());
    }

    @Test
    void greedyIsTheTasksModeWhateverTheSeed() {
        String task = "What is 38 + 47 * 6 - 95?";
        var greedy = new SamplingParams(0.0, 1.0, 256, 3L, List.of(), false);
        var otherSeed = new SamplingParams(0.0, 1.0, 256, 4L, List.of(), false);
        assertThat(sim.generate(request(task, task, 1, greedy)).samples())
                .isEqualTo(sim.generate(request(task, task, 1, otherSeed)).samples());
    }

    @Test
    void wrongSamplesAgreeOnTheTasksMisconceptions() {
        int misconceived = 0;
        int misconceivedFlat = 0;
        int wrong = 0;
        int wrongFlat = 0;
        for (var item : dev.verigen.contracts.suites.BuiltInSuites.simMath(40, 7).items()) {
            var truth = dev.verigen.contracts.simulation.TaskTruth.of(item.prompt());
            for (Sample s : sim.generate(request(item.prompt(), item.prompt(), 50, sampling(256, 2L))).samples()) {
                var judged = truth.judge(s.text());
                wrong += judged.correct() ? 0 : 1;
                misconceived += judged.misconception() != null ? 1 : 0;
            }
            for (Sample s : flat.generate(request(item.prompt(), item.prompt(), 50, sampling(256, 2L))).samples()) {
                var judged = truth.judge(s.text());
                wrongFlat += judged.correct() ? 0 : 1;
                misconceivedFlat += judged.misconception() != null ? 1 : 0;
            }
        }
        // error concentration 0.6, plus fresh slips that happen to land on a misconception
        assertThat(misconceived / (double) wrong).isBetween(0.6, 0.8);
        assertThat(misconceivedFlat / (double) wrongFlat).isLessThan(0.3);
    }

    @Test
    void wrongReasoningRunsLonger() {
        double gaps = 0;
        int tasks = 0;
        for (var item : dev.verigen.contracts.suites.BuiltInSuites.simMath(40, 7).items()) {
            var truth = dev.verigen.contracts.simulation.TaskTruth.of(item.prompt());
            double[] tokens = new double[2];
            int[] count = new int[2];
            for (Sample s : sim.generate(request(item.prompt(), item.prompt(), 40, sampling(256, 5L))).samples()) {
                int right = truth.judge(s.text()).correct() ? 1 : 0;
                tokens[right] += s.completionTokens();
                count[right]++;
            }
            if (count[0] > 0 && count[1] > 0) {
                gaps += tokens[0] / count[0] - tokens[1] / count[1];
                tasks++;
            }
        }
        // within a task: 1.2 against 0.3 "double-check" lines of about eight tokens each
        assertThat(gaps / tasks).isBetween(4.0, 12.0);
    }

    @Test
    void coolerSamplingIsMoreAccuratePerSampleAndLessDiverse() {
        double[] accuracy = new double[2];
        double[] distinct = new double[2];
        double[] temperatures = {0.3, 1.2};
        var items = dev.verigen.contracts.suites.BuiltInSuites.simMath(60, 7).items();
        for (var item : items) {
            var truth = dev.verigen.contracts.simulation.TaskTruth.of(item.prompt());
            for (int t = 0; t < 2; t++) {
                var sampling = new SamplingParams(temperatures[t], 1.0, 256, 9L, List.of(), false);
                List<Sample> samples = sim.generate(request(item.prompt(), item.prompt(), 16, sampling)).samples();
                accuracy[t] += samples.stream().filter(s -> truth.judge(s.text()).correct()).count() / 16.0;
                distinct[t] += samples.stream().map(s -> answer(s.text())).distinct().count();
            }
        }
        assertThat(accuracy[0] / items.size()).isGreaterThan(accuracy[1] / items.size() + 0.05);
        assertThat(distinct[0] / items.size()).isLessThan(distinct[1] / items.size() - 0.3);
    }

    @Test
    void unreadableTasksGetAStableMadeUpAnswer() {
        String task = "What is the airspeed velocity of an unladen swallow?";
        long reference = sim.model().reference(task);
        assertThat(new SimBackend(SimProperties.defaults(), spent::add).model().reference(task)).isEqualTo(reference);
        List<Sample> samples = flat.generate(request(task, task, 400, sampling(256, 1L))).samples();
        long correct = samples.stream().filter(s -> answer(s.text()) == reference).count();
        assertThat(correct / 400.0).isCloseTo(flat.model().solveRate(task), within(0.1));
    }

    @Test
    void respectsMaxTokensAndStopStrings() {
        String task = "Compute (3 + 4) * 5 - 2.";
        Sample cut = sim.generate(request(task, task, 1, sampling(5, 1L))).samples().getFirst();
        assertThat(cut.finishReason()).isEqualTo("length");
        assertThat(cut.completionTokens()).isEqualTo(5);
        assertThat(cut.text()).hasSize(20);

        var oneStep = new SamplingParams(0.8, 1.0, 256, 1L, List.of("\n"), false);
        Sample step = sim.generate(request(task, task, 1, oneStep)).samples().getFirst();
        assertThat(step.finishReason()).isEqualTo("stop");
        assertThat(step.text()).startsWith("Step 1: ").doesNotContain("\n");
    }

    @Test
    void usageCountsPromptOnceAndCompletionsPerSample() {
        String prompt = "What is 17 + 25?".repeat(3);
        EngineOutput out = sim.generate(request(prompt, "What is 17 + 25?", 4, sampling(256, 1L)));
        assertThat(out.usage().promptTokens()).isEqualTo(12);
        assertThat(out.usage().completionTokens()).isEqualTo(out.samples().stream().mapToLong(Sample::completionTokens).sum());
        assertThat(out.usage().calls()).isEqualTo(4);
        assertThat(out.usage().engineMs()).isPositive();
        assertThat(spent).hasSize(1);
        assertThat(spent.getFirst().toMillis()).isCloseTo(out.usage().engineMs(), within(1L));
    }

    @Test
    void aCachedPrefixMakesPrefillNearlyFree() {
        String prompt = "You are a careful calculator. Show your work one step per line. ".repeat(30)
                + "What is 17 + 25?";
        var cold = sim.generate(request(prompt, "What is 17 + 25?", 1, sampling(256, 1L)));
        var warm = sim.generate(request(prompt, "What is 17 + 25?", 1, sampling(256, 1L)));
        // same seed, same text, same decode: the difference is the prefill of ~490 tokens at 0.1 ms each
        assertThat(warm.samples()).isEqualTo(cold.samples());
        assertThat(cold.usage().engineMs() - warm.usage().engineMs()).isGreaterThan(35);
    }

    @Test
    void biggerBatchesDecodeSlowerPerToken() {
        var latency = new LatencyModel(SimProperties.defaults().latency());
        assertThat(latency.slowdown(1)).isLessThan(latency.slowdown(32));
        assertThat(latency.slowdown(32)).isLessThan(latency.slowdown(64));
        assertThat(latency.slowdown(128)).isCloseTo(2 * latency.slowdown(64), within(1e-9));
    }

    @Test
    void injectedFailuresSurfaceWithTheirCodes() {
        var always429 = new SimProperties(null, null, null, null, new SimProperties.Failures(0.0, 1.0, 0.0, 0.0), null);
        assertThatThrownBy(() -> new SimBackend(always429, spent::add).generate(request("What is 1 + 1?", "What is 1 + 1?", 1, sampling(64, 1L))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineErrors.RATE_LIMITED);
                    assertThat(e.retryable()).isTrue();
                });
        var alwaysTimeout = new SimProperties(null, null, null, null, new SimProperties.Failures(1.0, 0.0, 0.0, 0.0), null);
        assertThatThrownBy(() -> new SimBackend(alwaysTimeout, spent::add).generate(request("What is 1 + 1?", "What is 1 + 1?", 1, sampling(64, 1L))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineErrors.TIMEOUT);
                    assertThat(e.engineMs()).isPositive();
                });

        var halfServerErrors = new SimProperties(null, null, null, null, new SimProperties.Failures(0.0, 0.0, 0.5, 0.0), null);
        var flaky = new SimBackend(halfServerErrors, spent::add);
        int failed = 0;
        for (int i = 0; i < 400; i++) {
            try {
                flaky.generate(request("What is 1 + 1?", "What is 1 + 1?", 1, sampling(64, 1L)));
            } catch (EngineException e) {
                assertThat(e.code()).isEqualTo(EngineErrors.ENGINE_ERROR);
                failed++;
            }
        }
        assertThat(failed / 400.0).isCloseTo(0.5, within(0.1));
    }

    static long answer(String text) {
        Matcher m = ANSWER.matcher(text);
        assertThat(m.find()).as("answer line in %s", text).isTrue();
        return Long.parseLong(m.group(1));
    }

    static SamplingParams sampling(int maxTokens, Long seed) {
        return new SamplingParams(0.8, 1.0, maxTokens, seed, List.of(), false);
    }

    static EngineRequest request(String prompt, String task, int n, SamplingParams sampling) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        return new EngineRequest(meta, "sim-math", prompt, task, sampling, n);
    }
}
