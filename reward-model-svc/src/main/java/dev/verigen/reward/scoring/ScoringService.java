package dev.verigen.reward.scoring;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Runs one job's scorer. Never throws: a job that cannot be scored yields a {@link JobError}. */
@Service
public class ScoringService {

    public static final String UNKNOWN_SCORER = "unknown_scorer";
    public static final String SCORER_FAILED = "scorer_failed";

    private static final Logger log = LoggerFactory.getLogger(ScoringService.class);

    private final ScorerRegistry registry;
    private final MeterRegistry meters;

    public ScoringService(ScorerRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.meters = meters;
    }

    public ScoringResult score(ScoringJob job) {
        long started = System.nanoTime();
        Optional<Scorer> scorer = registry.find(job.scorer());
        if (scorer.isEmpty()) {
            return failed(job, started, "unknown", new JobError(UNKNOWN_SCORER,
                    "no scorer named '" + shorten(job.scorer()) + "'; known: " + registry.names(), false), Usage.ZERO);
        }
        Scored scored;
        try {
            scored = scorer.get().score(job);
        } catch (ScorerException e) {
            return failed(job, started, job.scorer(), new JobError(e.code(), e.getMessage(), e.retryable()),
                    e.spent());
        } catch (RuntimeException e) {
            // scorers front remote models whose failures are mostly transient; the orchestrator caps attempts
            log.error("scorer {} failed on job {}", job.scorer(), job.meta().jobId(), e);
            return failed(job, started, job.scorer(), new JobError(SCORER_FAILED,
                    e.getClass().getSimpleName() + ": " + shorten(e.getMessage()), true), Usage.ZERO);
        }
        List<java.util.UUID> expected = job.candidates().stream().map(CandidateRef::candidateId).toList();
        List<java.util.UUID> got = scored.scores().stream().map(Score::candidateId).toList();
        if (!expected.equals(got)) {
            return failed(job, started, job.scorer(), new JobError(SCORER_FAILED,
                    "scorer returned " + got.size() + " scores for " + expected.size() + " candidates", false), scored.usage());
        }
        meters.counter("verigen.reward.jobs", "scorer", job.scorer(), "result", "ok").increment();
        Usage u = scored.usage();
        return new ScoringResult(job.meta(), job.scorer(), scored.scores(),
                new Usage(u.promptTokens(), u.completionTokens(), u.calls(), u.engineMs(), elapsedMs(started)), null);
    }

    private ScoringResult failed(ScoringJob job, long started, String tag, JobError error, Usage spent) {
        meters.counter("verigen.reward.jobs", "scorer", tag, "result", error.code()).increment();
        log.warn("scoring job {} failed: {} {}", job.meta().jobId(), error.code(), error.message());
        // whatever was spent before failing is still reported, so budgets settle on the truth
        return new ScoringResult(job.meta(), job.scorer(), List.of(),
                new Usage(spent.promptTokens(), spent.completionTokens(), spent.calls(), spent.engineMs(), elapsedMs(started)),
                error);
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
