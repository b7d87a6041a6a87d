package dev.verigen.reward.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.MessageFixtures;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerException;
import dev.verigen.reward.scoring.ScorerRegistry;
import dev.verigen.reward.scoring.ScoringService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ScoringServiceTest {

    private static Scorer scorer(String name, Function<ScoringJob, Scored> body) {
        return new Scorer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Scored score(ScoringJob job) {
                return body.apply(job);
            }
        };
    }

    private static final ScoringJob JOB = new ScoringJob(MessageFixtures.meta(), "fixed", "p",
            List.of(MessageFixtures.candidate(1), MessageFixtures.candidate(2)));

    private final ScoringService service = new ScoringService(new ScorerRegistry(List.of(
            scorer("fixed", job -> new Scored(job.candidates().stream().map(c -> new Score(c.candidateId(), 0.5)).toList(),
                    new Usage(10, 0, 2, 5, 0))),
            scorer("busy", job -> {
                throw new ScorerException("backend_unavailable", "503 from reward server", true);
            }),
            scorer("broken", job -> {
                throw new IllegalStateException("bug");
            }),
            scorer("short", job -> new Scored(List.of(), Usage.ZERO)))), new SimpleMeterRegistry());

    private ScoringResult run(String scorer) {
        return service.score(new ScoringJob(JOB.meta(), scorer, JOB.prompt(), JOB.candidates()));
    }

    @Test
    void scoresCarryTheScorersUsage() {
        ScoringResult result = run("fixed");
        assertThat(result.ok()).isTrue();
        assertThat(result.scores()).hasSize(2);
        assertThat(result.usage().calls()).isEqualTo(2);
        assertThat(result.usage().engineMs()).isEqualTo(5);
    }

    @Test
    void unknownScorer() {
        ScoringResult result = run("nope");
        assertThat(result.error().code()).isEqualTo(ScoringService.UNKNOWN_SCORER);
        assertThat(result.error().retryable()).isFalse();
        assertThat(result.error().message()).contains("'nope'").contains("fixed");
    }

    @Test
    void scorerExceptionsBecomeTheirOwnErrors() {
        ScoringResult result = run("busy");
        assertThat(result.error().code()).isEqualTo("backend_unavailable");
        assertThat(result.error().retryable()).isTrue();
    }

    @Test
    void unexpectedFailuresAreReportedNotThrown() {
        ScoringResult result = run("broken");
        assertThat(result.error().code()).isEqualTo(ScoringService.SCORER_FAILED);
        assertThat(result.error().message()).contains("IllegalStateException: bug");
    }

    @Test
    void aScoreMissingForACandidateFailsTheJob() {
        ScoringResult result = run("short");
        assertThat(result.error().code()).isEqualTo(ScoringService.SCORER_FAILED);
        assertThat(result.error().message()).contains("0 scores for 2 candidates");
    }
}
