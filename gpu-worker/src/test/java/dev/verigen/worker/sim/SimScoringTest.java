package dev.verigen.worker.sim;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.engine.EngineOutput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's SIMULATED likelihoods (scoring mode) and judge verdicts. */
class SimScoringTest {

    private static final String TASK = "What is 123 * 45 - 678?";

    private final List<Duration> spent = new ArrayList<>();
    private final SimBackend sim = new SimBackend(SimProperties.defaults(), spent::add);

    @Test
    void correctContinuationsAreMoreLikelyOnAverageAndScoringIsDeterministic() {
        // samples of the simulator itself, so the continuations look like its answers
        EngineOutput drafts = sim.generate(request(TASK, 200, List.of()));
        List<String> texts = drafts.samples().stream().map(Sample::text).toList();

        EngineRequest scoring = request(TASK, texts.size(), texts);
        EngineOutput scored = sim.generate(scoring);
        EngineOutput again = sim.generate(request(TASK, texts.size(), texts));

        assertThat(scored.samples()).hasSize(texts.size());
        assertThat(again.samples()).isEqualTo(scored.samples());
        double correct = 0;
        double wrong = 0;
        int nCorrect = 0;
        for (Sample s : scored.samples()) {
            assertThat(s.text()).isEqualTo(texts.get(s.index()));
            assertThat(s.logprob()).isNegative();
            assertThat(s.completionTokens()).isPositive();
            double mean = s.logprob() / s.completionTokens();
            if (sim.judgments().correct(TASK, s.text())) {
                correct += mean;
                nCorrect++;
            } else {
                wrong += mean;
            }
        }
        assertThat(nCorrect).isBetween(10, texts.size() - 10);
        assertThat(correct / nCorrect).isGreaterThan(wrong / (texts.size() - nCorrect) + 0.05);
        long continuationTokens = scored.samples().stream().mapToLong(Sample::completionTokens).sum();
        assertThat(scored.usage().completionTokens()).isZero();
        assertThat(scored.usage().calls()).isEqualTo(texts.size());
        assertThat(scored.usage().promptTokens()).isGreaterThan(continuationTokens);
    }

    @Test
    void judgePromptsAreAnsweredWithVerdictsThatMostlyAgreeWithTheOracle() {
        long truth = new ArithmeticOracle().solve(TASK).orElseThrow().answer();
        String right = "Task:\n" + TASK + "\n\nAnswer to judge:\nStep 1: ...\nAnswer: " + truth;
        String wrong = "Task:\n" + TASK + "\n\nAnswer to judge:\nStep 1: ...\nAnswer: " + (truth + 3);

        double rightShare = share(sim.generate(request(right, 400, List.of())));
        double wrongShare = share(sim.generate(request(wrong, 400, List.of())));

        assertThat(rightShare).isBetween(0.75, 0.95);
        assertThat(wrongShare).isBetween(0.05, 0.25);
    }

    private static double share(EngineOutput out) {
        assertThat(out.samples()).allSatisfy(s -> assertThat(s.text()).containsPattern("Verdict: (correct|incorrect)$"));
        return out.samples().stream().filter(s -> s.text().endsWith("Verdict: correct")).count()
                / (double) out.samples().size();
    }

    private static EngineRequest request(String task, int n, List<String> continuations) {
        var meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "acme", null,
                Instant.now().plusSeconds(60));
        return new EngineRequest(meta, "sim-math", task, task, new SamplingParams(0.8, 1.0, 256, 5L, List.of(), false),
                n, null, continuations);
    }
}
