package dev.verigen.reward.genrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.reward.scoring.ScorerRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeScorerTest {

    private final GenRmProperties properties = new GenRmProperties("t", 0.7, 256, 4, 32, Duration.ofSeconds(5));

    @Test
    void readsTheLastVerdictOfASample() {
        assertThat(JudgeScorer.saysCorrect("Step 1: ok\nVerdict: correct")).isTrue();
        assertThat(JudgeScorer.saysCorrect("Verdict: **Correct**")).isTrue();
        assertThat(JudgeScorer.saysCorrect("Verdict: incorrect")).isFalse();
        assertThat(JudgeScorer.saysCorrect("Verdict: correct? No. Verdict: incorrect")).isFalse();
        assertThat(JudgeScorer.saysCorrect("looks correct to me")).isFalse();
    }

    @Test
    void variantsNameThePoolAndTheNumberOfSamples() {
        var judge = new JudgeScorer(null, properties);
        var registry = new ScorerRegistry(List.of(judge, new LikelihoodScorer(null, properties)));
        assertThat(registry.find("judge:qwen")).get().extracting(s -> ((JudgeScorer) s).k()).isEqualTo(4);
        assertThat(registry.find("judge:qwen:k=8")).get().extracting(s -> ((JudgeScorer) s).k()).isEqualTo(8);
        assertThat(registry.find("judge:qwen:k=0")).isEmpty();
        assertThat(registry.find("judge:qwen:k=33")).isEmpty();
        assertThat(registry.find("judge:qwen:other")).isEmpty();
        assertThat(registry.find("likelihood:arith-tiny")).isPresent();
        assertThat(registry.find("likelihood:arith-tiny:k=2")).isEmpty();
        assertThat(registry.find("likelihood:Bad Pool")).isEmpty();
    }
}
