package dev.verigen.reward.genrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.reward.scoring.ScorerRegistry;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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

    @Test
    void aJudgeAsksForNoMoreSamplesThanTheJobReservedCallsFor() {
        List<CandidateRef> three = List.of(new CandidateRef(UUID.randomUUID(), "a"),
                new CandidateRef(UUID.randomUUID(), "b"), new CandidateRef(UUID.randomUUID(), "c"));
        // reserved for k = 4 per candidate (the orchestrator's default) while this service is set to 8
        assertThat(JudgeScorer.affordableK(8, job(12, three))).isEqualTo(4);
        assertThat(JudgeScorer.affordableK(2, job(12, three))).isEqualTo(2);
        assertThat(JudgeScorer.affordableK(8, job(2, three))).as("at least one sample").isEqualTo(1);
        assertThat(JudgeScorer.affordableK(8, job(0, three))).as("nothing reserved: as configured").isEqualTo(8);
    }

    private static ScoringJob job(long calls, List<CandidateRef> candidates) {
        JobMeta meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "t",
                new JobMeta.Reservation(10_000, calls), Instant.now().plusSeconds(60));
        return new ScoringJob(meta, "judge:qwen", "p", candidates);
    }
}
