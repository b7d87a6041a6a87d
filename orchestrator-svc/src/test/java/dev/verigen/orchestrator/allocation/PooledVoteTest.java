package dev.verigen.orchestrator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PooledVoteTest {

    private static Sample s(String answer, double score) {
        return new Sample(answer, null, score, null, 40, true);
    }

    @Test
    void theExponentDecidesHowMuchOneConfidentSampleOutweighsSeveralDoubtfulOnes() {
        List<Sample> samples = List.of(s("1", 0.9), s("2", 0.5), s("2", 0.5));
        assertThat(PooledVote.of(samples, 1).answer()).isEqualTo("2");
        assertThat(PooledVote.of(samples, 4).answer()).isEqualTo("1");
    }

    @Test
    void verifiedPassesVoteFirstRefutedSamplesNeverAndCutOffSamplesNot() {
        var passed = new Sample("7", true, 0.1, null, 40, true);
        var refuted = new Sample("8", false, 0.99, null, 40, true);
        var cut = new Sample("9", null, 0.99, null, 128, false);
        assertThat(PooledVote.of(List.of(s("3", 0.9), s("3", 0.9), passed), 1).answer()).isEqualTo("7");
        assertThat(PooledVote.of(List.of(refuted, refuted, s("3", 0.2), cut), 1).answer()).isEqualTo("3");
        assertThat(PooledVote.of(List.of(cut), 1).answer()).isNull();
    }

    @Test
    void featuresDescribeTheLeader() {
        Features f = Features.of(List.of(s("5", 0.8), s("5", 0.6), s("6", 0.2), new Sample(null, null, 0.4, null, 9,
                true)), 1);
        assertThat(f.samples()).isEqualTo(4);
        assertThat(f.agreement()).isEqualTo(0.5);
        assertThat(f.leaderShare()).isCloseTo(1.4 / 1.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(f.leaderMeanScore()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(f.maxScore()).isEqualTo(0.8);
        assertThat(f.passRate()).isNull();
    }
}
