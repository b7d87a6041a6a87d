package dev.verigen.verifier.jobs;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import dev.verigen.verifier.stats.Label;
import dev.verigen.verifier.stats.VerdictStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/** Runs one job's verifier over every candidate. Never throws: a job that cannot be verified yields a {@link JobError}. */
@Service
public class VerificationService {

    public static final String UNKNOWN_VERIFIER = "unknown_verifier";
    public static final String INVALID_OPTIONS = "invalid_options";
    public static final String VERIFIER_FAILED = "verifier_failed";
    /**
     * Reserved job option: ground-truth labels for the verdict accounting ({@link VerdictStats}), {@code correct} or
     * {@code incorrect}, one for every candidate or one per candidate in order, comma-separated. Never passed to the
     * verifier.
     */
    public static final String LABELS_OPTION = "labels";

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final VerifierRegistry registry;
    private final MeterRegistry meters;
    private final VerdictStats stats;

    public VerificationService(VerifierRegistry registry, MeterRegistry meters) {
        this(registry, meters, new VerdictStats(meters));
    }

    @Autowired
    public VerificationService(VerifierRegistry registry, MeterRegistry meters, VerdictStats stats) {
        this.registry = registry;
        this.meters = meters;
        this.stats = stats;
    }

    /**
     * One candidate, as {@code POST /v1/verifications} asks: the same verifier beans, metrics and accounting as a job.
     * A verifier that throws gives an ERROR verdict.
     *
     * @param label ground truth for the accounting, or null
     * @throws UnknownVerifierException when no verifier has the spec's type
     * @throws InvalidOptionException   when the spec's options cannot be used
     */
    public Verdict verifyOne(VerifierSpec spec, CandidateRef candidate, String reference, Label label) {
        Verifier verifier = registry.find(spec.type()).orElseThrow(() -> new UnknownVerifierException(spec.type(), registry.types()));
        Verdict verdict;
        try {
            verdict = verifier.verify(candidate, reference, new VerifierOptions(spec.options()));
        } catch (InvalidOptionException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("verifier {} failed on a single candidate", spec.type(), e);
            verdict = new Verdict(candidate.candidateId(), Verdict.Outcome.ERROR, null, "verifier failed: "
                    + e.getClass().getSimpleName() + ": " + Text.excerpt(e.getMessage(), 200));
        }
        count(spec.type(), verdict, label);
        return verdict;
    }

    private void count(String type, Verdict verdict, Label label) {
        meters.counter("verigen.verifier.verdicts", "verifier", type, "outcome", verdict.outcome().name()).increment();
        stats.record(type, verdict.outcome(), label);
    }

    public VerificationResult verify(VerificationJob job) {
        long started = System.nanoTime();
        String type = job.verifier().type();
        Optional<Verifier> verifier = registry.find(type);
        if (verifier.isEmpty()) {
            return failed(job, started, new JobError(UNKNOWN_VERIFIER,
                    "no verifier of type '" + Text.excerpt(type, 64) + "'; known: " + registry.types(), false));
        }
        Map<String, String> raw = new HashMap<>(job.verifier().options());
        List<Label> labels;
        try {
            labels = labels(raw.remove(LABELS_OPTION), job.candidates().size());
        } catch (InvalidOptionException e) {
            return failed(job, started, new JobError(INVALID_OPTIONS, e.getMessage(), false));
        }
        VerifierOptions options = new VerifierOptions(raw);
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
        for (int i = 0; i < verdicts.size(); i++) {
            count(type, verdicts.get(i), labels.get(i));
        }
        meters.counter("verigen.verifier.jobs", "verifier", type, "result", "ok").increment();
        return new VerificationResult(job.meta(), type, verdicts, usage(started), null);
    }

    /** One label per candidate (null where none was given). */
    static List<Label> labels(String text, int candidates) {
        if (text == null || text.isBlank()) {
            return java.util.Collections.nCopies(candidates, null);
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 1 && parts.length != candidates) {
            throw new InvalidOptionException(LABELS_OPTION, "option labels must hold one label or one per candidate ("
                    + candidates + "), had " + parts.length);
        }
        List<Label> labels = new ArrayList<>(candidates);
        for (int i = 0; i < candidates; i++) {
            String part = parts[parts.length == 1 ? 0 : i];
            labels.add(Label.parse(part).orElseThrow(() -> new InvalidOptionException(LABELS_OPTION,
                    "option labels must be correct or incorrect, was '" + Text.excerpt(part, 40) + "'")));
        }
        return labels;
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
