package dev.verigen.verifier.jobs;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Runs one job's verifier over every candidate. Never throws: a job that cannot be verified yields a {@link JobError}. */
@Service
public class VerificationService {

    public static final String UNKNOWN_VERIFIER = "unknown_verifier";
    public static final String INVALID_OPTIONS = "invalid_options";
    public static final String VERIFIER_FAILED = "verifier_failed";

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final VerifierRegistry registry;
    private final MeterRegistry meters;

    public VerificationService(VerifierRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.meters = meters;
    }

    public VerificationResult verify(VerificationJob job) {
        long started = System.nanoTime();
        String type = job.verifier().type();
        Optional<Verifier> verifier = registry.find(type);
        if (verifier.isEmpty()) {
            return failed(job, started, new JobError(UNKNOWN_VERIFIER,
                    "no verifier of type '" + Text.excerpt(type, 64) + "'; known: " + registry.types(), false));
        }
        VerifierOptions options = new VerifierOptions(job.verifier().options());
        List<Verdict> verdicts = new ArrayList<>(job.candidates().size());
        try {
            for (CandidateRef candidate : job.candidates()) {
                verdicts.add(verifier.get().verify(candidate, job.reference(), options));
            }
        } catch (InvalidOptionException e) {
            return failed(job, started, new JobError(INVALID_OPTIONS, e.getMessage(), false));
        } catch (RuntimeException e) {
            // deterministic code failing on the same input fails again, so a retry would only burn budget
            log.error("verifier {} failed on job {}", type, job.meta().jobId(), e);
            return failed(job, started, new JobError(VERIFIER_FAILED,
                    e.getClass().getSimpleName() + ": " + Text.excerpt(e.getMessage(), 200), false));
        }
        for (Verdict v : verdicts) {
            meters.counter("verigen.verifier.verdicts", "verifier", type, "outcome", v.outcome().name()).increment();
        }
        meters.counter("verigen.verifier.jobs", "verifier", type, "result", "ok").increment();
        return new VerificationResult(job.meta(), type, verdicts, usage(started), null);
    }

    private VerificationResult failed(VerificationJob job, long started, JobError error) {
        meters.counter("verigen.verifier.jobs", "verifier", metricTag(job.verifier().type()), "result", error.code()).increment();
        log.warn("verification job {} failed: {} {}", job.meta().jobId(), error.code(), error.message());
        return new VerificationResult(job.meta(), job.verifier().type(), List.of(), usage(started), error);
    }

    /** Unknown types come from outside; keep them from growing the metrics' tag space without bound. */
    private String metricTag(String type) {
        return registry.find(type).isPresent() ? type : "unknown";
    }

    private static Usage usage(long started) {
        return new Usage(0, 0, 0, 0, (System.nanoTime() - started) / 1_000_000);
    }
}
