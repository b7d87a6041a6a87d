package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.outbox.Outbox;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.traces.StepRepository.StepRow;
import dev.verigen.orchestrator.traces.TraceRepository;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks a run's strategy what to do next and does it: reserves budget, records steps and writes jobs to the
 * outbox, all in the caller's transaction (the run row is locked by then).
 */
@Component
public class RunDriver {

    private static final Logger log = LoggerFactory.getLogger(RunDriver.class);

    private final StrategyRegistry strategies;
    private final RunStateLoader loader;
    private final RunRepository runs;
    private final StepRepository steps;
    private final BudgetRepository budgets;
    private final TraceRepository traces;
    private final Outbox outbox;
    private final Clock clock;

    public RunDriver(StrategyRegistry strategies, RunStateLoader loader, RunRepository runs, StepRepository steps,
                     BudgetRepository budgets, TraceRepository traces, Outbox outbox, Clock clock) {
        this.strategies = strategies;
        this.loader = loader;
        this.runs = runs;
        this.steps = steps;
        this.budgets = budgets;
        this.traces = traces;
        this.outbox = outbox;
        this.clock = clock;
    }

    public void advance(RunRow run, RunEvent event) {
        List<Action> actions = strategies.get(run.spec().strategy()).decide(loader.load(run), event);
        for (Action action : actions) {
            if (!perform(run, action)) {
                return;
            }
        }
    }

    /** @return false when the run ended and later actions must not happen */
    private boolean perform(RunRow run, Action action) {
        return switch (action) {
            case Action.Generate g -> dispatchGeneration(run, g.n());
            case Action.Verify v -> dispatchVerification(run, v.candidateIds());
            case Action.Score s -> dispatchScoring(run, s.candidateIds());
            case Action.Finish f -> {
                runs.succeed(run.id(), f.candidateId(), f.reason());
                log.info("run {} succeeded: {}", run.id(), f.reason());
                yield false;
            }
            case Action.Fail f -> {
                runs.fail(run.id(), f.code(), f.detail());
                log.info("run {} failed: {} {}", run.id(), f.code(), f.detail());
                yield false;
            }
        };
    }

    private boolean dispatchGeneration(RunRow run, int n) {
        PipelineSpec spec = run.spec();
        long tokens = Costs.generationTokens(run.input().prompt(), n, spec.sampling().maxTokens());
        JobMeta meta = reserve(run, StepKind.GENERATION, tokens, n, List.of());
        if (meta == null) {
            return false;
        }
        var job = new GenerationJob(meta, GenerationJob.Role.GENERATE, spec.model(), run.input().prompt(),
                spec.sampling(), n);
        outbox.add(Topics.GENERATION_JOBS, run.id().toString(), Json.write(job));
        return true;
    }

    private boolean dispatchVerification(RunRow run, List<UUID> candidateIds) {
        JobMeta meta = reserve(run, StepKind.VERIFICATION, 0, 0, candidateIds);
        if (meta == null) {
            return false;
        }
        List<CandidateRef> candidates = traces.candidateRefs(candidateIds);
        var job = new VerificationJob(meta, run.spec().verifier(), run.input().prompt(), run.input().reference(),
                candidates);
        outbox.add(Topics.VERIFICATION_JOBS, run.id().toString(), Json.write(job));
        return true;
    }

    private boolean dispatchScoring(RunRow run, List<UUID> candidateIds) {
        List<CandidateRef> candidates = traces.candidateRefs(candidateIds);
        // model-backed scorers (judge, likelihood) run the platform's models: reserve their tokens and calls too
        Costs.ScoringCost cost = Costs.scoring(run.spec().rewardModel(), run.input().prompt(),
                candidates.stream().map(CandidateRef::text).toList());
        JobMeta meta = reserve(run, StepKind.SCORING, cost.tokens(), cost.calls(), candidateIds);
        if (meta == null) {
            return false;
        }
        var job = new ScoringJob(meta, run.spec().rewardModel(), run.input().prompt(), run.input().reference(),
                candidates);
        outbox.add(Topics.SCORING_JOBS, run.id().toString(), Json.write(job));
        return true;
    }

    /** Reserves the job's budget and records its step; fails the run when the budget has no room. */
    private JobMeta reserve(RunRow run, StepKind kind, long tokens, long calls, List<UUID> candidateIds) {
        if (!budgets.reserve(run.id(), tokens, calls)) {
            runs.fail(run.id(), "budget_exhausted", "the budget has no room for a " + kind.name().toLowerCase()
                    + " job needing " + tokens + " tokens and " + calls + " calls");
            return null;
        }
        UUID stepId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        var deadline = clock.instant().plusSeconds(run.spec().jobTimeoutSeconds());
        steps.insert(new StepRow(stepId, run.id(), jobId, kind, null, 1, tokens, calls, candidateIds), deadline);
        return new JobMeta(jobId, run.id(), stepId, 1, run.tenant(), new JobMeta.Reservation(tokens, calls), deadline);
    }
}
