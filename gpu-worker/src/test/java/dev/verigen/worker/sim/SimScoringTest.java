package dev.verigen.worker.sim;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.simulation.ArithmeticOracle;
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
    private final SimBackend independentJudge = new SimBackend(SimProperties.defaults()
            .withRealism(new SimProperties.Realism(null, null, 0.0, null, null, null, SimProperties.Judge.INDEPENDENT)),
            spent::add);

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

        double rightShare = share(independentJudge.generate(request(right, 400, List.of())));
        double wrongShare = share(independentJudge.generate(request(wrong, 400, List.of())));

        assertThat(rightShare).isBetween(0.75, 0.95);
        assertThat(wrongShare).isBetween(0.05, 0.25);
    }

    @Test
    void theDefaultJudgeIsRightAsOftenOnAverageButItsVerdictsOnOneAnswerAgree() {
        long truth = new ArithmeticOracle().solve(TASK).orElseThrow().answer();
        double sum = 0;
        double spread = 0;
        int answers = 60;
        for (int i = 0; i < answers; i++) {
            String wrong = "Task:\n" + TASK + "\n\nAnswer to judge:\nStep 1: ...\nAnswer: " + (truth + 1000 + i);
            double share = share(sim.generate(request(wrong, 200, List.of())));
            sum += share;
            spread += Math.abs(share - 0.15);
        }
        // on average about as right as the independent judge, but some answers fool it most of the time
        assertThat(sum / answers).isBetween(0.1, 0.35);
        assertThat(spread / answers).isGreaterThan(0.08);
    }

    @Test
    void aMisconceptionFoolsTheJudgeMoreOftenThanAFreshSlip() {
        var truth = dev.verigen.contracts.simulation.TaskTruth.of(TASK);
        var top = truth.misconceptions().getFirst();
        var noBias = new SimBackend(SimProperties.defaults().withRealism(new SimProperties.Realism(null, null, 0.0,
                null, null, null, new SimProperties.Judge(0.85, 0.0, 0.5))), spent::add);
        String misconception = "Task:\n" + TASK + "\n\nAnswer to judge:\nAnswer: " + top.answer();
        String fresh = "Task:\n" + TASK + "\n\nAnswer to judge:\nAnswer: " + (truth.numericAnswer() + 1000);
        // sharedErrors 0.5 at appeal 1: the judge's logit for it is 0, a coin
        assertThat(share(noBias.generate(request(misconception, 1000, List.of())))).isBetween(0.44, 0.56);
        assertThat(share(noBias.generate(request(fresh, 1000, List.of())))).isBetween(0.11, 0.19);
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
