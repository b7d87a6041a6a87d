package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.runs.RunRepository.RunStatus;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.traces.StepRepository.StepRow;
import dev.verigen.orchestrator.traces.TraceRepository;
import java.util.HashSet;
import java.util.List;
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
 * the step no longer waits for it.
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
    private final RunDriver driver;

    public ResultApplier(TransactionTemplate tx, JdbcClient jdbc, RunRepository runs, StepRepository steps,
                         BudgetRepository budgets, TraceRepository traces, RunDriver driver) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.runs = runs;
        this.steps = steps;
        this.budgets = budgets;
        this.traces = traces;
        this.driver = driver;
    }

    public void apply(GenerationResult result) {
        inTransaction(result.meta(), StepKind.GENERATION, result.usage(), (run, step) -> {
            List<UUID> created = traces.insertCandidates(run.id(), step.id(), result.pool(), result.backend(),
                    result.samples());
            return finishStep(step, created, result.error());
        });
    }

    public void apply(VerificationResult result) {
        inTransaction(result.meta(), StepKind.VERIFICATION, result.usage(), (run, step) -> {
            Set<UUID> asked = new HashSet<>(step.candidateIds());
            List<Verdict> verdicts = result.verdicts().stream().filter(v -> asked.contains(v.candidateId())).toList();
            traces.insertVerdicts(step.id(), run.spec().verifier().type(), verdicts);
            return finishStep(step, List.of(), result.error());
        });
    }

    public void apply(ScoringResult result) {
        inTransaction(result.meta(), StepKind.SCORING, result.usage(), (run, step) -> {
            Set<UUID> asked = new HashSet<>(step.candidateIds());
            List<Score> scores = result.scores().stream().filter(s -> asked.contains(s.candidateId())).toList();
            traces.insertScores(step.id(), run.spec().rewardModel(), scores);
            return finishStep(step, List.of(), result.error());
        });
    }

    /**
     * Gives up on a job whose deadline passed: its reservation returns to the budget and the strategy hears of the
     * failure. A result that still arrives later finds the step closed and is ignored.
     */
    public void expire(UUID jobId) {
        tx.executeWithoutResult(status -> {
            Optional<StepRow> unlocked = steps.findByJob(jobId);
            if (unlocked.isEmpty()) {
                return;
            }
            Optional<RunRow> locked = runs.lock(unlocked.get().runId());
            Optional<StepRow> step = steps.findByJob(jobId);
            if (locked.isEmpty() || step.isEmpty() || step.get().status() != RunState.Step.Status.PENDING) {
                return;
            }
            RunRow run = locked.get();
            StepRow current = step.get();
            budgets.settle(run.id(), current.reservedTokens(), current.reservedCalls(), 0, 0);
            JobError timeout = new JobError("job_timeout", "no result before the job's deadline", true);
            log.warn("job {} of run {} timed out", jobId, run.id());
            RunEvent event = finishStep(current, List.of(), timeout);
            if (run.status() == RunStatus.RUNNING) {
                driver.advance(run, event);
            }
        });
    }

    private RunEvent.StepFinished finishStep(StepRow step, List<UUID> created, JobError error) {
        if (error == null) {
            steps.complete(step.id());
        } else {
            steps.fail(step.id(), error.code(), error.message());
        }
        return new RunEvent.StepFinished(step.id(), step.kind(), created, error);
    }

    private void inTransaction(JobMeta meta, StepKind kind, Usage usage, StepWork work) {
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
            if (current.attempt() != meta.attempt() || current.status() != RunState.Step.Status.PENDING) {
                log.info("stale result for job {} (attempt {}, step at attempt {} {}) ignored", meta.jobId(),
                        meta.attempt(), current.attempt(), current.status());
                return;
            }
            RunRow run = locked.get();
            traces.recordUsage(run.id(), current.id(), kind, usage);
            // Generation and the model-backed scorers (judge, likelihood) spend the token budget; every model call
            // spends the call budget.
            boolean spendsTokens = kind == StepKind.GENERATION
                    || (kind == StepKind.SCORING && Costs.scoringSpendsTokens(run.spec().rewardModel()));
            long tokensUsed = spendsTokens ? usage.totalTokens() : 0;
            budgets.settle(run.id(), current.reservedTokens(), current.reservedCalls(), tokensUsed, usage.calls());
            RunEvent event = work.apply(run, current);
            if (run.status() == RunStatus.RUNNING) {
                driver.advance(run, event);
            }
        });
    }

    @FunctionalInterface
    private interface StepWork {
        RunEvent apply(RunRow run, StepRow step);
    }
}
