package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.GenerationProgress;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.orchestrator.budgets.Amount;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.delivery.CrashPoint;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.runs.RunRepository.RunStatus;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.Stepwise;
import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.traces.StepRepository.StepRow;
import dev.verigen.orchestrator.traces.TraceRepository;
import dev.verigen.orchestrator.metrics.RunMetrics;
import dev.verigen.orchestrator.tracing.RunTracing;
import dev.verigen.support.observability.Attributes;
import dev.verigen.orchestrator.traces.TraceRepository.NewCandidate;
import dev.verigen.contracts.CandidateRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a job's result exactly once in effect: the inbox row, the usage and budget settlement, the trace rows
 * and the strategy's next actions commit together or not at all. A result is ignored when its (job, attempt)
 * was seen before, when its attempt is not the step's current one (a late answer to a retried job), or when
 * the step no longer waits for it; a cancelled step's result is settled against the budget but not decided on.
 */
@Component
public class ResultApplier {

    private static final Logger log = LoggerFactory.getLogger(ResultApplier.class);

    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final RunRepository runs;
    private final StepRepository steps;
    private final BudgetRepository budgets;
    private final TraceRepository traces;
    private final EventLog events;
    private final RunDriver driver;
    private final ComputeEstimator compute;
    private final RunTracing tracing;
    private final RunMetrics metrics;
    private final CrashPoint crash;

    public ResultApplier(TransactionTemplate tx, JdbcClient jdbc, RunRepository runs, StepRepository steps,
                         BudgetRepository budgets, TraceRepository traces, EventLog events, RunDriver driver,
                         ComputeEstimator compute, RunTracing tracing, RunMetrics metrics, CrashPoint crash) {
        this.crash = crash;
        this.tracing = tracing;
        this.metrics = metrics;
        this.tx = tx;
        this.jdbc = jdbc;
        this.runs = runs;
        this.steps = steps;
        this.budgets = budgets;
        this.traces = traces;
        this.events = events;
        this.driver = driver;
        this.compute = compute;
    }

    public void apply(GenerationResult result) {
        inTransaction(result.meta(), StepKind.GENERATION, result.usage(), result.samples(), (run, step) -> {
            List<UUID> created = traces.insertCandidates(run.id(), step.id(), result.pool(), result.backend(),
                    candidates(step, result.samples()));
            return finishStep(run, step, created, result.error());
        });
    }

    /**
     * Records a running sample's text so far as a snapshot candidate and lets the strategy decide on it. Applied at
     * most once per (job, attempt, sample, tokens), and only while the job's step is pending at that attempt and the
     * run is running: a snapshot that arrives after its job ended (results travel on another topic) or was cancelled
     * is dropped. It spends nothing: the job's result settles its usage.
     */
    public void apply(GenerationProgress progress) {
        JobMeta meta = progress.meta();
        tx.executeWithoutResult(status -> {
            UUID key = UUID.nameUUIDFromBytes(("progress:" + meta.jobId() + ":" + progress.sample() + ":"
                    + progress.tokens()).getBytes(StandardCharsets.UTF_8));
            boolean first = jdbc.sql("""
                    insert into processed_jobs (job_id, attempt) values (:job, :attempt) on conflict do nothing""")
                    .param("job", key).param("attempt", meta.attempt()).update() == 1;
            if (!first) {
                return;
            }
            Optional<RunRow> locked = runs.lock(meta.runId());
            Optional<StepRow> step = steps.findByJob(meta.jobId());
            if (locked.isEmpty() || step.isEmpty() || !step.get().runId().equals(meta.runId())
                    || step.get().kind() != StepKind.GENERATION || step.get().attempt() != meta.attempt()
                    || step.get().status() != RunState.Step.Status.PENDING
                    || locked.get().status() != RunStatus.RUNNING) {
                return;
            }
            RunRow run = locked.get();
            StepRow current = step.get();
            Action.Generate g = generation(current);
            String parentText = g.continueParent()
                    ? traces.candidateRefs(List.of(g.parent())).stream().findFirst().map(CandidateRef::text).orElse("")
                    : "";
            UUID snapshot = traces.insertCandidates(run.id(), current.id(), progress.pool(), progress.backend(), List.of(new NewCandidate(parentText + progress.text(), RunState.Candidate.PARTIAL,
                    progress.tokens(), null, g.parent(), g.label(), g.role() == null ? Role.GENERATE : g.role(),
                    false))).getFirst();
            events.append(run.id(), "sample.progress", Map.of("stepId", current.id(), "label", current.label(),
                    "sample", progress.sample(), "tokens", progress.tokens(), "candidate", snapshot));
            driver.advance(run, new RunEvent.Progressed(current.id(), current.label(), progress.sample(), snapshot,
                    progress.tokens()));
        });
    }

    public void apply(VerificationResult result) {
        inTransaction(result.meta(), StepKind.VERIFICATION, result.usage(), List.of(), (run, step) -> {
            Set<UUID> asked = new HashSet<>(step.candidateIds());
            List<Verdict> verdicts = result.verdicts().stream().filter(v -> asked.contains(v.candidateId())).toList();
            traces.insertVerdicts(step.id(), run.spec().verifier().type(), verdicts);
            metrics.verdicts(run, run.spec().verifier().type(), verdicts);
            tracing.tag(Attributes.VERDICTS_PASS, Long.toString(count(verdicts, Verdict.Outcome.PASS)));
            tracing.tag(Attributes.VERDICTS_FAIL, Long.toString(count(verdicts, Verdict.Outcome.FAIL)));
            return finishStep(run, step, List.of(), result.error());
        });
    }

    public void apply(ScoringResult result) {
        inTransaction(result.meta(), StepKind.SCORING, result.usage(), List.of(), (run, step) -> {
            Set<UUID> asked = new HashSet<>(step.candidateIds());
            List<Score> scores = result.scores().stream().filter(s -> asked.contains(s.candidateId())).toList();
            traces.insertScores(step.id(), scorer(run, step), scores);
            metrics.scores(run, scorer(run, step), scores);
            return finishStep(run, step, List.of(), result.error());
        });
    }

    private static long count(List<Verdict> verdicts, Verdict.Outcome outcome) {
        return verdicts.stream().filter(v -> v.outcome() == outcome).count();
    }

    /** What a generation step's samples become: continuations carry their parent's text before the new step. */
    private List<NewCandidate> candidates(StepRow step, List<GenerationResult.Sample> samples) {
        Action.Generate g = generation(step);
        String parentText = g.continueParent()
                ? traces.candidateRefs(List.of(g.parent())).stream().findFirst().map(CandidateRef::text).orElse("")
                : null;
        List<NewCandidate> out = new ArrayList<>(samples.size());
        for (GenerationResult.Sample s : samples) {
            boolean complete = !g.oneStep() || Stepwise.finishes(s.text(), s.finishReason());
            // a first step from the prompt is a partial too: it ends with the delimiter like every other step
            String text = parentText == null && !g.oneStep() ? s.text()
                    : Stepwise.extend(parentText == null ? "" : parentText, s.text(), complete);
            out.add(new NewCandidate(text, s.finishReason(), s.completionTokens(), s.logprob(), g.parent(), g.label(),
                    g.role() == null ? Role.GENERATE : g.role(), complete));
        }
        return out;
    }

    private static Action.Generate generation(StepRow step) {
        return step.action() == null ? new Action.Generate(1)
                : Json.read(step.action().getBytes(StandardCharsets.UTF_8), Action.Generate.class);
    }

    private static String scorer(RunRow run, StepRow step) {
        if (step.action() == null) {
            return run.spec().rewardModel();
        }
        Action.Score s = Json.read(step.action().getBytes(StandardCharsets.UTF_8), Action.Score.class);
        return s.scorer() == null ? run.spec().rewardModel() : s.scorer();
    }

    /**
     * Gives up on a job whose deadline passed: its reservation returns to the budget and the strategy hears of the
     * failure. A result that still arrives later finds the step closed and is ignored.
     */
    public void expire(UUID jobId, JobError why) {
        tx.executeWithoutResult(status -> {
            Optional<StepRow> unlocked = steps.findByJob(jobId);
            if (unlocked.isEmpty()) {
                return;
            }
            Optional<RunRow> locked = runs.lock(unlocked.get().runId());
            Optional<StepRow> step = steps.findByJob(jobId);
            if (locked.isEmpty() || step.isEmpty()) {
                return;
            }
            RunRow run = locked.get();
            StepRow current = step.get();
            if (current.status() == RunState.Step.Status.CANCELLED) {
                release(current);
                steps.closeCancelled(current.id());
                return;
            }
            if (current.status() != RunState.Step.Status.PENDING) {
                return;
            }
            release(current);
            log.warn("job {} of run {} given up: {}", jobId, run.id(), why.message());
            RunEvent event = finishStep(run, current, List.of(), why);
            if (run.status() == RunStatus.RUNNING) {
                driver.advance(run, event);
            }
        });
    }

    private RunEvent.StepFinished finishStep(RunRow run, StepRow step, List<UUID> created, JobError error) {
        if (error == null) {
            steps.complete(step.id());
        } else {
            steps.fail(step.id(), error.code(), error.message());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stepId", step.id());
        data.put("kind", step.kind().name());
        data.put("label", step.label());
        data.put("status", error == null ? "DONE" : "FAILED");
        if (!created.isEmpty()) {
            data.put("candidates", created);
        }
        if (error != null) {
            data.put("error", Map.of("code", error.code(), "message", String.valueOf(error.message())));
        }
        events.append(run.id(), "step.finished", data);
        return new RunEvent.StepFinished(step.id(), step.kind(), step.label(), created, error);
    }

    private void inTransaction(JobMeta meta, StepKind kind, Usage usage, List<GenerationResult.Sample> samples,
                               StepWork work) {
        // a child of the binder's receive span: the result's effects, and the next steps it leads to, hang under it
        try (RunTracing.Scoped span = tracing.child("verigen.result " + kind.name().toLowerCase(java.util.Locale.ROOT))) {
            span.tag(Attributes.RUN, meta.runId().toString()).tag(Attributes.STEP, meta.stepId().toString())
                    .tag(Attributes.JOB, meta.jobId().toString()).tag(Attributes.ATTEMPT, meta.attempt())
                    .tag(Attributes.GEN_AI_INPUT_TOKENS, usage.promptTokens())
                    .tag(Attributes.GEN_AI_OUTPUT_TOKENS, usage.completionTokens());
            if (!samples.isEmpty()) {
                span.tag(Attributes.CANDIDATES, samples.size());
            }
            applyInTransaction(meta, kind, usage, samples, work);
        }
    }

    private void applyInTransaction(JobMeta meta, StepKind kind, Usage usage, List<GenerationResult.Sample> samples,
                                    StepWork work) {
        tx.executeWithoutResult(status -> {
            boolean firstDelivery = jdbc.sql("""
                    insert into processed_jobs (job_id, attempt) values (:job, :attempt) on conflict do nothing""")
                    .param("job", meta.jobId()).param("attempt", meta.attempt()).update() == 1;
            if (!firstDelivery) {
                log.debug("duplicate result for job {} attempt {} ignored", meta.jobId(), meta.attempt());
                return;
            }
            Optional<RunRow> locked = runs.lock(meta.runId());
            Optional<StepRow> step = steps.findByJob(meta.jobId());
            if (locked.isEmpty() || step.isEmpty() || !step.get().runId().equals(meta.runId())
                    || step.get().kind() != kind) {
                log.warn("result for unknown job {} of run {} ignored", meta.jobId(), meta.runId());
                return;
            }
            StepRow current = step.get();
            RunRow run = locked.get();
            if (current.attempt() != meta.attempt()) {
                log.info("stale result for job {} (attempt {}, step at attempt {}): booked, not decided on",
                        meta.jobId(), meta.attempt(), current.attempt());
                bookLate(run, current, meta.attempt(), kind, usage, samples, "a later attempt of the job was sent");
                return;
            }
            if (current.status() == RunState.Step.Status.CANCELLED) {
                // the work was done all the same: book it, release the rest, decide nothing
                settle(run, current, kind, usage, samples);
                steps.closeCancelled(current.id());
                return;
            }
            if (current.status() != RunState.Step.Status.PENDING) {
                log.info("result for job {} whose step is already {}: booked, not decided on", meta.jobId(),
                        current.status());
                bookLate(run, current, meta.attempt(), kind, usage, samples,
                        "the step was already " + current.status().name().toLowerCase(java.util.Locale.ROOT));
                return;
            }
            settle(run, current, kind, usage, samples);
            crash.reached(CrashPoint.Point.MID_APPLY);
            RunEvent event = work.apply(run, current);
            if (run.status() == RunStatus.RUNNING) {
                driver.advance(run, event);
            }
        });
    }

    /**
     * Books the work of a result that came after its step stopped waiting for it (the step timed out and released
     * its reservation, a later attempt was sent, or the run ended): the engine ran all the same, so its usage is
     * recorded (marked late), booked to the run and its tenant as far as their caps allow (the rest as overrun:
     * {@link BudgetRepository#settle}) and shown as a {@code step.late_result} event. Nothing is decided on it.
     */
    private void bookLate(RunRow run, StepRow step, int attempt, StepKind kind, Usage usage,
                          List<GenerationResult.Sample> samples, String why) {
        Amount used = usedBy(run, step, kind, usage, samples);
        if (used.equals(Amount.ZERO) && usage.promptTokens() == 0 && usage.completionTokens() == 0) {
            return; // nothing ran (refused before the engine, cancelled before it started)
        }
        traces.recordLateUsage(run.id(), step.id(), kind, usage, used.flops());
        budgets.settle(run.id(), step.tenantBudgetId(), Amount.ZERO, used);
        metrics.spent(run.tenant(), used);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stepId", step.id());
        data.put("kind", kind.name());
        data.put("attempt", attempt);
        data.put("tokens", used.tokens());
        data.put("calls", used.calls());
        data.put("flops", used.flops());
        data.put("reason", why);
        events.append(run.id(), "step.late_result", data);
    }

    /** What a job's usage costs each budget unit. */
    private Amount usedBy(RunRow run, StepRow step, StepKind kind, Usage usage, List<GenerationResult.Sample> samples) {
        // Generation and the model-backed scorers (judge, likelihood) spend the token and FLOPs budgets; every model
        // call spends the call budget.
        boolean spendsTokens = kind == StepKind.GENERATION
                || (kind == StepKind.SCORING && Costs.scoringSpendsTokens(scorer(run, step)));
        long tokensUsed = spendsTokens ? usage.totalTokens() : 0;
        return new Amount(tokensUsed, usage.calls(), spendsTokens ? flops(run, step, usage, samples) : 0);
    }

    private void settle(RunRow run, StepRow step, StepKind kind, Usage usage, List<GenerationResult.Sample> samples) {
        var used = usedBy(run, step, kind, usage, samples);
        traces.recordUsage(run.id(), step.id(), kind, usage, used.flops());
        Amount reserved = reserved(step);
        // a closed cancelled step holds nothing any more: its late result is booked without a reservation
        boolean holds = !reserved.equals(Amount.ZERO);
        if (holds && (used.tokens() > reserved.tokens() || used.calls() > reserved.calls()
                || used.flops() > reserved.flops())) {
            log.warn("job {} of run {} used more than it reserved: {} against {} tokens, {} calls, {} FLOPs; the cost "
                    + "bounds are too low for it (what does not fit the caps is booked as overrun)", step.jobId(),
                    run.id(), used, step.reservedTokens(), step.reservedCalls(), step.reservedFlops());
        }
        budgets.settle(run.id(), step.tenantBudgetId(), reserved, used);
        metrics.spent(run.tenant(), used);
    }

    /** Gives a job's whole reservation back: it spent nothing that anyone reported. */
    private void release(StepRow step) {
        budgets.settle(step.runId(), step.tenantBudgetId(), reserved(step), Amount.ZERO);
    }

    private static Amount reserved(StepRow step) {
        return new Amount(step.reservedTokens(), step.reservedCalls(), step.reservedFlops());
    }

    /**
     * The job's FLOPs from its measured tokens, on the pool it ran on: per sample where the samples account for
     * every generated token, else from the totals (a judge's samples, a failed generation).
     */
    private double flops(RunRow run, StepRow step, Usage usage, List<GenerationResult.Sample> samples) {
        ComputeEstimator priced = compute.forRun(run.spec().model());
        if (step.kind() == StepKind.SCORING) {
            return priced.fromUsage(Costs.scorerPool(scorer(run, step)), usage.promptTokens(),
                    usage.completionTokens(), usage.calls(), Math.max(1, step.candidateIds().size()));
        }
        String pool = generation(step).pool();
        long sampled = samples.stream().mapToLong(GenerationResult.Sample::completionTokens).sum();
        if (!samples.isEmpty() && sampled == usage.completionTokens()) {
            return priced.generation(pool, usage.promptTokens(),
                    samples.stream().map(GenerationResult.Sample::completionTokens).toList());
        }
        return priced.fromUsage(pool, usage.promptTokens(), usage.completionTokens(), usage.calls(), 1);
    }

    @FunctionalInterface
    private interface StepWork {
        RunEvent apply(RunRow run, StepRow step);
    }
}
