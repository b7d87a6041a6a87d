package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.orchestrator.budgets.Amount;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.budgets.Reservation;
import dev.verigen.orchestrator.delivery.DeliveryProperties;
import dev.verigen.orchestrator.delivery.MessageTooLarge;
import dev.verigen.orchestrator.outbox.Outbox;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.traces.StepRepository;
import dev.verigen.orchestrator.traces.StepRepository.StepRow;
import dev.verigen.orchestrator.traces.TraceRepository;
import dev.verigen.orchestrator.metrics.RunMetrics;
import dev.verigen.orchestrator.tracing.RunTracing;
import dev.verigen.support.observability.Attributes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    private final EventLog events;
    private final Outbox outbox;
    private final Clock clock;
    private final ComputeEstimator compute;
    private final Aborts aborts;
    private final RunTracing tracing;
    private final RunMetrics metrics;
    private final int maxMessageBytes;

    public RunDriver(StrategyRegistry strategies, RunStateLoader loader, RunRepository runs, StepRepository steps,
                     BudgetRepository budgets, TraceRepository traces, EventLog events, Outbox outbox, Clock clock,
                     ComputeEstimator compute, Aborts aborts, RunTracing tracing, RunMetrics metrics,
                     DeliveryProperties delivery) {
        this.maxMessageBytes = delivery.maxMessageBytes();
        this.tracing = tracing;
        this.metrics = metrics;
        this.strategies = strategies;
        this.loader = loader;
        this.runs = runs;
        this.steps = steps;
        this.budgets = budgets;
        this.traces = traces;
        this.events = events;
        this.outbox = outbox;
        this.clock = clock;
        this.compute = compute.forRun(null);
        this.aborts = aborts;
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
            case Action.Generate g -> dispatchGeneration(run, g);
            case Action.Verify v -> dispatchVerification(run, v.candidateIds());
            case Action.Score s -> dispatchScoring(run, s);
            case Action.Cancel c -> {
                aborts.send(run.id(), steps.cancel(c.stepIds(), c.reason()), c.reason());
                events.append(run.id(), "steps.cancelled", Map.of("steps", c.stepIds(), "reason", c.reason()));
                yield true;
            }
            case Action.Remember r -> {
                runs.remember(run.id(), r.memo());
                yield true;
            }
            case Action.Finish f -> {
                runs.succeed(run.id(), f.candidateId(), f.reason());
                stopInFlight(run, "the run finished");
                budgets.releaseLease(run.id());
                metrics.finished(run, RunRepository.RunStatus.SUCCEEDED, null);
                tracing.tag(Attributes.OUTCOME, "succeeded");
                events.append(run.id(), "run.finished", Map.of("status", "SUCCEEDED", "candidateId", f.candidateId(),
                        "reason", f.reason()));
                log.info("run {} succeeded: {}", run.id(), f.reason());
                yield false;
            }
            case Action.Fail f -> {
                failRun(run, f.code(), f.detail());
                yield false;
            }
        };
    }

    private void failRun(RunRow run, String code, String detail) {
        failRun(run, code, detail, Map.of());
    }

    private void failRun(RunRow run, String code, String detail, Map<String, Object> more) {
        runs.fail(run.id(), code, detail);
        stopInFlight(run, "the run failed");
        budgets.releaseLease(run.id());
        metrics.finished(run, RunRepository.RunStatus.FAILED, code);
        tracing.tag(Attributes.OUTCOME, "failed");
        tracing.tag(Attributes.ERROR_CODE, code);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "FAILED");
        data.put("code", code);
        data.put("detail", detail);
        data.putAll(more);
        events.append(run.id(), "run.finished", data);
        log.info("run {} failed: {} {}", run.id(), code, detail);
    }

    /**
     * A run that ended waits for nothing: its steps still pending are cancelled (their results are settled when they
     * come, never decided on) and their generation jobs are stopped at the workers.
     */
    public void stopInFlight(RunRow run, String reason) {
        var cancelled = steps.cancelPending(run.id(), reason);
        if (!cancelled.isEmpty()) {
            aborts.send(run.id(), cancelled, reason);
            events.append(run.id(), "steps.cancelled", Map.of("steps",
                    cancelled.stream().map(StepRepository.Cancelled::stepId).toList(), "reason", reason));
        }
    }

    private boolean dispatchGeneration(RunRow run, Action.Generate g) {
        PipelineSpec spec = run.spec();
        String pool = g.pool() == null ? spec.model() : g.pool();
        String prompt = g.prompt() == null ? run.input().prompt() : g.prompt();
        String partial = !g.continueParent() ? null
                : traces.candidateRefs(List.of(g.parent())).stream().findFirst().map(CandidateRef::text)
                        .orElseThrow(() -> new IllegalStateException("no candidate " + g.parent() + " to continue"));
        SamplingParams sampling = jobSampling(spec.sampling(), g);
        int maxTokens = sampling.maxTokens();
        String read = partial == null ? prompt : prompt + partial;
        var cost = new Amount(Costs.generationTokens(read, g.n(), maxTokens), g.n(),
                Costs.generationFlops(compute, pool, read, g.n(), maxTokens));
        String topic = Topics.GENERATION_JOBS;
        StepPlan plan = new StepPlan(StepKind.GENERATION, cost, List.of(), g.label(), Json.writeString(g),
                Map.of(Attributes.POOL, pool, Attributes.GEN_AI_MODEL, pool, Attributes.ROLE,
                        (g.role() == null ? "generate" : g.role().name().toLowerCase(Locale.ROOT)),
                        Attributes.SAMPLES, Integer.toString(g.n())));
        return dispatch(run, plan, topic, meta -> Json.write(new GenerationJob(meta, g.role(), pool, prompt, sampling,
                g.n(), partial, g.oneStep(), List.of(), g.progressTokens())));
    }

    private boolean dispatchVerification(RunRow run, List<UUID> candidateIds) {
        List<CandidateRef> candidates = traces.candidateRefs(candidateIds);
        StepPlan plan = new StepPlan(StepKind.VERIFICATION, Amount.ZERO, candidateIds, "", null,
                Map.of(Attributes.VERIFIER, run.spec().verifier().type()));
        return dispatch(run, plan, Topics.VERIFICATION_JOBS, meta -> Json.write(new VerificationJob(meta,
                run.spec().verifier(), run.input().prompt(), run.input().reference(), candidates)));
    }

    private boolean dispatchScoring(RunRow run, Action.Score s) {
        String scorer = s.scorer() == null ? run.spec().rewardModel() : s.scorer();
        List<CandidateRef> candidates = traces.candidateRefs(s.candidateIds());
        // model-backed scorers (judge, likelihood) run the platform's models: reserve their tokens and calls too
        List<String> texts = candidates.stream().map(CandidateRef::text).toList();
        Costs.ScoringCost cost = Costs.scoring(scorer, run.input().prompt(), texts);
        var amount = new Amount(cost.tokens(), cost.calls(), Costs.scoringFlops(compute.forRun(run.spec().model()),
                scorer, run.input().prompt(), texts));
        StepPlan plan = new StepPlan(StepKind.SCORING, amount, s.candidateIds(), s.label(),
                Json.writeString(new Action.Score(s.candidateIds(), scorer, s.label())), Map.of(Attributes.SCORER, scorer));
        Long seed = jobSeed(run.spec().sampling().seed(), "score:" + s.label());
        return dispatch(run, plan, Topics.SCORING_JOBS, meta -> Json.write(new ScoringJob(meta, scorer,
                run.input().prompt(), candidates, seed)));
    }

    /** @param attributes what the step's span says about it beyond kind, label, candidates and cost */
    private record StepPlan(StepKind kind, Amount cost, List<UUID> candidateIds, String label, String action,
                            Map<String, String> attributes) {
    }

    @FunctionalInterface
    private interface JobWriter {
        byte[] write(JobMeta meta);
    }

    /**
     * Reserves the job's budget (the run's and the tenant's), records its step and writes the job to the outbox;
     * fails the run, naming the budget and the units that refused, when either has no room.
     */
    private boolean dispatch(RunRow run, StepPlan plan, String topic, JobWriter writer) {
        // one span per step, a child of whatever caused it (the run's creation, or the result it decides on); the
        // job carries its context through the outbox to Kafka, so the workers' spans hang under it
        try (RunTracing.Scoped span = tracing.child("verigen.step " + plan.kind().name().toLowerCase(Locale.ROOT))) {
            span.tag(Attributes.RUN, run.id().toString()).tag(Attributes.STRATEGY, run.spec().strategy())
                    .tag(Attributes.STEP_KIND, plan.kind().name()).tag(Attributes.STEP_LABEL, plan.label())
                    .tag(Attributes.CANDIDATES, plan.candidateIds().size())
                    .tag(Attributes.RESERVED_TOKENS, plan.cost().tokens());
            plan.attributes().forEach(span::tag);
            return dispatch(run, plan, topic, writer, span);
        }
    }

    private boolean dispatch(RunRow run, StepPlan plan, String topic, JobWriter writer, RunTracing.Scoped span) {
        Amount cost = plan.cost();
        UUID stepId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        var deadline = clock.instant().plusSeconds(run.spec().jobTimeoutSeconds());
        // the wire reservation carries tokens and calls; FLOPs are an orchestrator-side estimate kept on the step
        var meta = new JobMeta(jobId, run.id(), stepId, 1, run.tenant(),
                new JobMeta.Reservation(cost.tokens(), cost.calls()), deadline);
        byte[] payload = writer.write(meta);
        if (payload.length > maxMessageBytes) {
            // the broker would refuse it (and a relay retrying it would hold up every tenant's jobs): fail now, clearly
            span.tag(Attributes.ERROR_CODE, MessageTooLarge.CODE);
            failRun(run, MessageTooLarge.CODE, MessageTooLarge.detail(plan.kind().name().toLowerCase(Locale.ROOT),
                    payload.length, maxMessageBytes), Map.of("bytes", payload.length, "limit", maxMessageBytes));
            return false;
        }
        UUID tenantBudget;
        switch (budgets.reserve(run.id(), run.tenant(), cost)) {
            case Reservation.Granted granted -> tenantBudget = granted.tenantBudgetId();
            case Reservation.Refused refused -> {
                metrics.refused(run.tenant(), refused.scope().label(),
                        refused.units().stream().map(Reservation.Unit::label).toList());
                span.tag(Attributes.ERROR_CODE, "budget_exhausted");
                failRun(run, "budget_exhausted", "no room for a " + plan.kind().name().toLowerCase(Locale.ROOT)
                        + " job in the " + refused.describe(), Map.of("budget", refused.scope().label(),
                        "units", refused.units().stream().map(Reservation.Unit::label).toList()));
                return false;
            }
        }
        span.tag(Attributes.STEP, stepId.toString()).tag(Attributes.JOB, jobId.toString());
        String traceParent = span.traceParent();
        steps.insert(new StepRow(stepId, run.id(), jobId, plan.kind(), null, 1, cost.tokens(), cost.calls(),
                cost.flops(), tenantBudget, plan.candidateIds(), plan.label(), plan.action(), topic, payload), deadline,
                traceParent);
        outbox.add(topic, run.id().toString(), payload, traceParent);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stepId", stepId);
        data.put("kind", plan.kind().name());
        data.put("label", plan.label());
        data.put("reservedTokens", cost.tokens());
        data.put("reservedCalls", cost.calls());
        data.put("reservedFlops", cost.flops());
        if (!plan.candidateIds().isEmpty()) {
            data.put("candidates", plan.candidateIds().size());
        }
        events.append(run.id(), "step.dispatched", data);
        return true;
    }

    /**
     * The sampling a generation job is sent with: the run's, with the generation's own temperature and max tokens,
     * its label's seed, and log-probabilities when either the run or the generation asks for them.
     */
    public static SamplingParams jobSampling(SamplingParams base, Action.Generate g) {
        return new SamplingParams(g.temperature() == null ? base.temperature() : g.temperature(), base.topP(),
                g.maxTokens() == null ? base.maxTokens() : g.maxTokens(), jobSeed(base.seed(), g.label()), base.stop(),
                base.logprobs() || g.logprobs());
    }

    /**
     * Each labelled generation draws from its own seed, derived from the run's: two generations with different
     * labels never repeat each other's samples, and a replay with the same labels draws the same ones.
     */
    public static Long jobSeed(Long runSeed, String label) {
        if (runSeed == null || label == null || label.isEmpty()) {
            return runSeed;
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = runSeed + h * 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
