package dev.verigen.worker.sim;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.simulation.ArithmeticOracle;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Step-wise search against the simulator: samples continue a partial solution (request.partial()). */
class SimContinuationTest {

    private static final List<String> ONE_STEP = List.of(TaskModel.STEP_DELIMITER);
    private static final Pattern LAST_INTEGER = Pattern.compile("(-?\\d+)\\D*$");

    private final SimBackend sim = new SimBackend(SimProperties.defaults(), spent -> { });
    // p clamps to 1 - 1e-4: every continued step is right, so texts are known exactly
    private final SimBackend easy = new SimBackend(
            new SimProperties(null, null, new SimProperties.SolveRate(2.0, 2.0, -20.0), null, null, null), spent -> { });

    @Test
    void aCorrectPartialContinuesWithExactlyTheNextStep() {
        String task = "Compute (3 + 4) * 5 - 2.";
        String partial = "Step 1: We need to compute (3 + 4) * 5 - 2.\nStep 2: 3 + 4 = 7.\n";

        List<Sample> next = easy.generate(request(task, partial, 8, sampling(0.8, 3L, ONE_STEP))).samples();
        assertThat(next).extracting(Sample::text).allSatisfy(text -> assertThat(text)
                .isIn("Step 3: 7 * 5 = 35.", "Step 3: Multiply 7 and 5 to get 35.", "Step 3: Then 7 * 5 gives 35."));
        assertThat(next).extracting(Sample::finishReason).containsOnly("stop");

        String later = partial + "Step 3: Multiply 7 and 5 to get 35.\nStep 4: 35 - 2 = 33.\n";
        assertThat(easy.generate(request(task, later, 1, sampling(0.8, 3L, ONE_STEP))).samples().getFirst().text())
                .isEqualTo("Answer: 33");
    }

    @Test
    void aPartialThatSlippedCarriesTheWrongValueToAWrongAnswer() {
        String task = "Compute (2 - 9) * 3 + 1.";   // -7, -21, -20
        String partial = "Step 1: We need to compute (2 - 9) * 3 + 1.\n"
                + "Step 2: Take the difference of 2 and 9 to get -6.\n";

        String rest = easy.generate(request(task, partial, 1, sampling(0.8, 9L, List.of()))).samples().getFirst().text();

        String[] lines = rest.split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("Step 3: ").contains("(-6)").endsWith("-18.");
        assertThat(lines[1]).startsWith("Step 4: ").contains("(-18)").endsWith("-17.");
        assertThat(lines[2]).isEqualTo("Answer: -17");
    }

    @Test
    void answeredPartialsHaveNothingLeftAndUnreadableTasksContinueTheirTemplate() {
        String task = "Compute (3 + 4) * 5 - 2.";
        Sample done = sim.generate(request(task, "Step 1: ...\nStep 2: 3 + 4 = 7.\nAnswer: 7\n", 2,
                sampling(0.8, 1L, ONE_STEP))).samples().getFirst();
        assertThat(done.text()).isEmpty();

        String riddle = "What is the airspeed velocity of an unladen swallow?";
        String step = easy.generate(request(riddle, "Step 1: Identify the quantity the question asks for.\n", 1,
                sampling(0.8, 1L, ONE_STEP))).samples().getFirst().text();
        assertThat(step).isEqualTo("Step 2: Work it out from the given facts: " + easy.model().reference(riddle) + ".");
    }

    @Test
    void continuationsAreSeededByThePartialAndReproducible() {
        String task = "What is 14 * 23 + 56 - 7 * 8?";
        String intro = "Step 1: We need to compute 14 * 23 + 56 - 7 * 8.\n";
        var req = request(task, intro, 16, sampling(0.8, 4L, List.of()));

        List<Sample> first = sim.generate(req).samples();
        assertThat(new SimBackend(SimProperties.defaults(), spent -> { }).generate(req).samples()).isEqualTo(first);
        // a different partial (a slip in it) is a different random stream, not the same draws shifted
        List<Sample> other = sim.generate(request(task, intro + "Step 2: 14 * 23 = 322.\n", 16,
                sampling(0.8, 4L, List.of()))).samples();
        assertThat(other).isNotEqualTo(first);
        // without a partial (or a blank one) the samples are whole drafts, exactly as before
        var blank = new EngineRequest(req.meta(), req.pool(), task, task, req.sampling(), 4, " ");
        var none = new EngineRequest(req.meta(), req.pool(), task, task, req.sampling(), 4);
        assertThat(sim.generate(blank).samples()).isEqualTo(sim.generate(none).samples());
        assertThat(sim.generate(none).samples()).allSatisfy(s -> assertThat(s.text()).startsWith("Step 1: We need"));
    }

    @Test
    void greedyContinuationsAreIdentical() {
        String task = "What is 14 * 23 + 56 - 7 * 8?";
        var greedy = new SamplingParams(0.0, 1.0, 256, 3L, ONE_STEP, true);
        var req = request(task, "Step 1: We need to compute 14 * 23 + 56 - 7 * 8.\nStep 2: 14 * 23 = 322.\n", 6, greedy);

        List<Sample> samples = sim.generate(req).samples();

        assertThat(samples).extracting(Sample::text).containsOnly(samples.getFirst().text());
        assertThat(samples).extracting(Sample::logprob).containsOnly(samples.getFirst().logprob());
        assertThat(samples.getFirst().text()).startsWith("Step 3: ").doesNotContain("\n");
    }

    @Test
    void extendingOneStepAtATimeSolvesAtTheLatentRate() {
        for (String task : List.of("What is 17 + 25?", "Compute (3 + 4) * 5 - 2.", "What is 38 + 47 * 6 - 95?",
                "What is 14 * 23 + 56 - 7 * 8?")) {
            long truth = new ArithmeticOracle().solve(task).orElseThrow().answer();
            int solved = 0;
            int chains = 2000;
            for (int seed = 0; seed < chains; seed++) {
                if (extend(task, seed, 1) == truth) {
                    solved++;
                }
            }
            assertThat(solved / (double) chains).as("step-wise solve rate of %s", task)
                    .isCloseTo(sim.model().solveRate(task), within(0.04));
        }
    }

    @Test
    void pickingARightStepAmongSeveralSamplesBeatsTheSolveRate() {
        // what makes beam search worth it: a verifier that finds the right one of k next steps
        String task = "Compute (12 + 7) * 3 - 8 * 4.";
        double p = sim.model().solveRate(task);
        assertThat(p).as("a hard task").isLessThan(0.2);
        long truth = new ArithmeticOracle().solve(task).orElseThrow().answer();

        int solved = 0;
        int chains = 500;
        for (int seed = 0; seed < chains; seed++) {
            if (extend(task, seed, 4) == truth) {
                solved++;
            }
        }
        // per step 1 - (1 - q)^4 ≈ 0.98 with q = p^(1/4) ≈ 0.65, so ≈ 0.94 over four steps
        assertThat(solved / (double) chains).isGreaterThan(0.8).isGreaterThan(p + 0.5);
    }

    /**
     * Runs a step-wise chain as the orchestrator does (a partial plus the chosen step plus the delimiter) and returns
     * its answer. With {@code k > 1} an oracle picks a right step among k samples when there is one.
     */
    private long extend(String task, long seed, int k) {
        List<ArithmeticOracle.Step> truth = new ArithmeticOracle().solve(task).orElseThrow().steps();
        String partial = "";
        for (int depth = 0; depth < 16; depth++) {
            List<Sample> samples = sim.generate(request(task, partial, k, sampling(0.8, seed, ONE_STEP))).samples();
            int done = PartialSolution.parse(partial).results().size();
            Sample chosen = samples.stream()
                    .filter(s -> k == 1 || rightStep(s.text(), done, truth))
                    .findFirst()
                    .orElse(samples.getFirst());
            if (chosen.text().startsWith("Answer: ")) {
                return Long.parseLong(chosen.text().substring("Answer: ".length()));
            }
            partial = partial + chosen.text() + TaskModel.STEP_DELIMITER;
        }
        throw new AssertionError("no answer after 16 steps: " + partial);
    }

    private static boolean rightStep(String text, int done, List<ArithmeticOracle.Step> truth) {
        if (text.contains(PartialSolution.INTRO)) {
            return true;
        }
        long expected = done < truth.size() ? truth.get(done).result() : truth.getLast().result();
        Matcher m = LAST_INTEGER.matcher(text);
        return m.find() && Long.parseLong(m.group(1)) == expected;
    }

    private static SamplingParams sampling(double temperature, Long seed, List<String> stop) {
        return new SamplingParams(temperature, 1.0, 256, seed, stop, false);
    }

    /** As generator-svc builds it: the prompt ends with the partial. */
    private static EngineRequest request(String task, String partial, int n, SamplingParams sampling) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        String prompt = task + "\n" + (partial == null ? "" : partial);
        return new EngineRequest(meta, "sim-math", prompt, task, sampling, n, partial);
    }
}
