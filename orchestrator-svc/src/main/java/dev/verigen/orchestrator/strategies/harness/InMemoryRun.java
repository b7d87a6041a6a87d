package dev.verigen.orchestrator.strategies.harness;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import dev.verigen.orchestrator.strategies.Stepwise;
import dev.verigen.orchestrator.strategies.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Runs a strategy's decision function to the end in memory, doing what the run driver and result applier do
 * (reserve, dispatch, apply results, settle) against {@link Workers} instead of Kafka and PostgreSQL. Results can be
 * delivered out of order, fail, or never come (timeouts), as {@link Delivery} says, so tests can check a
 * strategy's invariants under every order. Budgets are kept in tokens, calls and estimated FLOPs, priced as the
 * engine prices them ({@link ComputeEstimator} bound to the run's model, FLOPs reserved in whole FLOPs rounded up and
 * settled from the workers' measured usage). Reservations that would overspend any unit are refused and counted: a
 * well-behaved strategy never asks for them.
 */
public final class InMemoryRun {

    /**
     * How results come back.
     *
     * @param timed results come back in the order the engine would finish them: each job's result is computed when
     *              it is dispatched and delivered at dispatch time + its engine time (a discrete-event clock), so
     *              first_finish sees the shortest sample first and {@link Outcome#engineMs} is the run's latency
     * @param abort (timed only) a cancelled generation, or one still running when the run ends, stops at once as the
     *              workers stop it: its samples are cut at the tokens decoded by then (decoding taken as even over the
     *              job's engine time) and only those are billed. Off, or not timed: a job runs to its end and is billed
     *              in full, as with workers that cannot abort
     */
    public record Delivery(long seed, boolean shuffle, double failureRate, double timeoutRate, boolean timed,
                           boolean abort) {
        public static final Delivery IN_ORDER = new Delivery(0, false, 0, 0, false, false);
        public static final Delivery TIMED = new Delivery(0, false, 0, 0, true, true);
        /** Timed, with workers that finish every job they started (no engine-side abort). */
        public static final Delivery TIMED_NO_ABORT = new Delivery(0, false, 0, 0, true, false);

        public Delivery(long seed, boolean shuffle, double failureRate, double timeoutRate) {
            this(seed, shuffle, failureRate, timeoutRate, false, false);
        }

        public Delivery(long seed, boolean shuffle, double failureRate, double timeoutRate, boolean timed) {
            this(seed, shuffle, failureRate, timeoutRate, timed, timed);
        }

        public static Delivery chaotic(long seed) {
            return new Delivery(seed, true, 0.1, 0.05, false);
        }
    }

    /**
     * How a run ended.
     *
     * @param aborted     generation jobs stopped mid-way (cancelled, or still running when the run ended)
     * @param tokensSaved completion tokens those jobs would have generated had they run to the end
     * @param scored      candidates scored (reward-model or PRM passes), over every scoring job
     */
    public record Outcome(String status, RunState.Candidate answer, String reason, String errorCode,
                          long usedTokens, long usedCalls, int refusedReservations, int decisions,
                          List<RunState.Candidate> candidates, List<RunState.Step> steps, long engineMs,
                          double usedFlops, int aborted, long tokensSaved, long scored) {
        public boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }
    }

    private static final class Pending {
        final UUID stepId;
        final StepKind kind;
        final String label;
        final Action action;
        final long tokens;
        final long calls;
        final double flops;
        Workers.Generated output;
        long dispatchedAt;
        long finishAt;
        /** Set for a progress report of the generation step {@link #stepId}: which sample, how far. */
        Sample progress;

        Pending(UUID stepId, StepKind kind, String label, Action action, long tokens, long calls, double flops) {
            this.stepId = stepId;
            this.kind = kind;
            this.label = label;
            this.action = action;
            this.tokens = tokens;
            this.calls = calls;
            this.flops = flops;
        }

        UUID stepId() {
            return stepId;
        }

        StepKind kind() {
            return kind;
        }

        String label() {
            return label;
        }

        Action action() {
            return action;
        }

        long tokens() {
            return tokens;
        }

        long calls() {
            return calls;
        }
    }

    private static final int MAX_DECISIONS = 100_000;

    private final Strategy strategy;
    private final PipelineSpec spec;
    private final RunInput input;
    private final Long maxTokens;
    private final Long maxCalls;
    private final Double maxFlops;
    private final ComputeEstimator compute;
    private final Workers workers;
    private final Delivery delivery;
    private final SplittableRandom random;

    private final List<RunState.Step> steps = new ArrayList<>();
    private final List<RunState.Candidate> candidates = new ArrayList<>();
    private final Map<UUID, Verdict.Outcome> verdicts = new HashMap<>();
    private final Map<UUID, String> extracted = new HashMap<>();
    private final Map<UUID, Map<String, Double>> scores = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private Map<String, Object> memo;
    private long usedTokens;
    private long usedCalls;
    private long reservedTokens;
    private long reservedCalls;
    private double usedFlops;
    private double reservedFlops;
    private int refused;
    private int decisions;
    private int aborted;
    private long abortedTokensSaved;
    private long scored;
    private String status = "RUNNING";
    private UUID answer;
    private String reason;
    private String errorCode;
    private long clock;

    public InMemoryRun(Strategy strategy, PipelineSpec spec, RunInput input, Long maxTokens, Long maxCalls,
                       Workers workers, Delivery delivery) {
        this(strategy, spec, input, maxTokens, maxCalls, null, ComputeEstimator.DEFAULTS, workers, delivery);
    }

    /**
     * @param maxFlops the run's FLOPs cap; null means none
     * @param compute  prices model work in FLOPs by pool (it is bound to the run's model here, as the engine does)
     */
    public InMemoryRun(Strategy strategy, PipelineSpec spec, RunInput input, Long maxTokens, Long maxCalls,
                       Double maxFlops, ComputeEstimator compute, Workers workers, Delivery delivery) {
        this.strategy = strategy;
        this.spec = spec;
        this.input = input;
        this.maxTokens = maxTokens;
        this.maxCalls = maxCalls;
        this.maxFlops = maxFlops;
        this.compute = compute.forRun(spec.model());
        this.workers = workers;
        this.delivery = delivery;
        this.random = new SplittableRandom(delivery.seed());
    }

    public Outcome run() {
        decide(new RunEvent.Started());
        while (status.equals("RUNNING") && !pending.isEmpty()) {
            if (decisions > MAX_DECISIONS) {
                throw new IllegalStateException("the strategy did not terminate after " + MAX_DECISIONS + " decisions");
            }
            Pending next = pending.remove(nextIndex());
            clock = Math.max(clock, next.finishAt);
            if (next.progress != null) {
                if (stepStatus(next.stepId()) == RunState.Step.Status.PENDING) {
                    decide(progressed(next));
                }
                continue;
            }
            if (stepStatus(next.stepId()) != RunState.Step.Status.PENDING) {
                settleUnheard(next); // cancelled: its work is settled and nobody decides on it
                continue;
            }
            decide(complete(next));
        }
        if (status.equals("RUNNING")) {
            throw new IllegalStateException("the strategy stopped deciding with nothing pending and no answer");
        }
        // what is still in flight when the run ends is stopped at the workers (abort), else settles when it answers
        long answeredAt = clock;
        for (Pending p : List.copyOf(pending)) {
            if (p.progress != null) {
                continue;
            } else if (aborting(p)) {
                abort(p);
            } else {
                settleUnheard(p);
            }
        }
        pending.clear();
        RunState.Candidate chosen = answer == null ? null : state().candidate(answer).orElseThrow();
        return new Outcome(status, chosen, reason, errorCode, usedTokens, usedCalls, refused, decisions,
                state().candidates(), List.copyOf(steps), answeredAt, usedFlops, aborted, abortedTokensSaved, scored);
    }

    private int nextIndex() {
        if (delivery.timed()) {
            int best = 0;
            for (int i = 1; i < pending.size(); i++) {
                if (pending.get(i).finishAt < pending.get(best).finishAt) {
                    best = i;
                }
            }
            return best;
        }
        return delivery.shuffle() ? random.nextInt(pending.size()) : 0;
    }

    /** Records a progress report as a snapshot candidate, as the result applier does. */
    private RunEvent.Progressed progressed(Pending report) {
        Action.Generate g = (Action.Generate) report.action();
        String partial = g.continueParent() ? state().candidate(g.parent()).orElseThrow().text() : "";
        UUID id = UUID.nameUUIDFromBytes(("cand-" + candidates.size()).getBytes());
        Sample s = report.progress;
        candidates.add(new RunState.Candidate(id, candidates.size(), partial + s.text(), null, null, null, Map.of(),
                g.parent(), g.label(), g.role() == null ? Role.GENERATE : g.role(),
                g.pool() == null ? spec.model() : g.pool(), false, RunState.Candidate.PARTIAL, s.completionTokens(),
                null));
        return new RunEvent.Progressed(report.stepId(), report.label(), s.index(), id, s.completionTokens());
    }

    /**
     * Progress reports of a generation that asked for them: sample i reports its first k·every tokens (its text cut
     * in proportion) when, decoding evenly over the job's engine time, it has generated them.
     */
    private void scheduleProgress(Pending job, Action.Generate g) {
        Workers.Generated out = job.output;
        long longest = out.samples().stream().mapToLong(Sample::completionTokens).max().orElse(0);
        for (Sample s : out.samples()) {
            for (long t = g.progressTokens(); t < s.completionTokens(); t += g.progressTokens()) {
                Pending report = new Pending(job.stepId(), StepKind.GENERATION, job.label(), g, 0, 0, 0);
                int chars = (int) (s.text().length() * t / s.completionTokens());
                report.progress = new Sample(s.index(), s.text().substring(0, chars), RunState.Candidate.PARTIAL, t,
                        null);
                report.dispatchedAt = job.dispatchedAt;
                report.finishAt = delivery.timed()
                        ? job.dispatchedAt + Math.max(0, (job.finishAt - job.dispatchedAt) * t / Math.max(1, longest))
                        : job.finishAt;
                pending.add(report);
            }
        }
    }

    private boolean aborting(Pending p) {
        return delivery.timed() && delivery.abort() && p.output != null && p.action() instanceof Action.Generate;
    }

    /**
     * Stops a running generation now, as a worker does on a cancel: each sample is cut at the tokens decoded by now
     * (decoding taken as even over the job's engine time, the longest sample setting the pace), the prompt was read,
     * and only that is billed.
     */
    private void abort(Pending p) {
        pending.remove(p);
        Action.Generate g = (Action.Generate) p.action();
        Workers.Generated out = p.output;
        long total = Math.max(1, p.finishAt - p.dispatchedAt);
        double done = Math.min(1.0, Math.max(0.0, (clock - p.dispatchedAt) / (double) total));
        long longest = out.samples().stream().mapToLong(Sample::completionTokens).max().orElse(0);
        long decoded = (long) Math.floor(done * longest);
        List<Long> cut = out.samples().stream().map(s -> Math.min(s.completionTokens(), decoded)).toList();
        long completion = cut.stream().mapToLong(Long::longValue).sum();
        long tokens = Math.min(p.tokens(), out.usage().promptTokens() + completion);
        double measured = compute.generation(g.pool(), out.usage().promptTokens(), cut);
        release(p, tokens, Math.min(p.calls(), out.usage().calls()), Math.min(p.flops, Math.ceil(measured)));
        aborted++;
        abortedTokensSaved += out.usage().completionTokens() - completion;
    }

    /** A job nobody waits for any more still ran: its usage is booked. */
    private void settleUnheard(Pending p) {
        if (p.action() instanceof Action.Generate g) {
            Workers.Generated out = p.output != null ? p.output : call(g);
            release(p, Math.min(p.tokens(), out.usage().totalTokens()), Math.min(p.calls(), out.usage().calls()),
                    generatedFlops(p, g, out));
        } else {
            release(p, 0, p.calls(), 0);
        }
    }

    private RunState state() {
        List<RunState.Candidate> view = candidates.stream().map(c -> new RunState.Candidate(c.id(), c.index(), c.text(),
                verdicts.get(c.id()), extracted.get(c.id()),
                spec.rewardModel() == null ? null : scores.getOrDefault(c.id(), Map.of()).get(spec.rewardModel()),
                scores.getOrDefault(c.id(), Map.of()), c.parentId(), c.label(), c.role(), c.pool(), c.complete(),
                c.finishReason(), c.completionTokens(), c.logprob())).toList();
        var budget = new RunState.Budget(maxTokens, maxCalls, usedTokens, usedCalls, reservedTokens, reservedCalls,
                maxFlops, usedFlops, reservedFlops, compute);
        return new RunState(UUID.nameUUIDFromBytes(new byte[]{1}), spec, input, budget, steps, view, memo);
    }

    private void decide(RunEvent event) {
        decisions++;
        for (Action action : strategy.decide(state(), event)) {
            if (!perform(action)) {
                return;
            }
        }
    }

    private boolean perform(Action action) {
        switch (action) {
            case Action.Generate g -> {
                String prompt = g.prompt() == null ? input.prompt() : g.prompt();
                String partial = g.continueParent() ? state().candidate(g.parent()).orElseThrow().text() : null;
                int maxTok = g.maxTokens() == null ? spec.sampling().maxTokens() : g.maxTokens();
                String read = partial == null ? prompt : prompt + partial;
                return dispatch(StepKind.GENERATION, g.label(), g,
                        Costs.generationTokens(read, g.n(), maxTok), g.n(),
                        Costs.generationFlops(compute, g.pool(), read, g.n(), maxTok));
            }
            case Action.Verify v -> {
                return dispatch(StepKind.VERIFICATION, "", v, 0, 0, 0);
            }
            case Action.Score s -> {
                String scorer = s.scorer() == null ? spec.rewardModel() : s.scorer();
                List<String> texts = state().candidates(s.candidateIds()).stream().map(RunState.Candidate::text)
                        .toList();
                var cost = Costs.scoring(scorer, input.prompt(), texts);
                return dispatch(StepKind.SCORING, s.label(), new Action.Score(s.candidateIds(), scorer, s.label()),
                        cost.tokens(),
                        cost.calls(), Costs.scoringFlops(compute, scorer, input.prompt(), texts));
            }
            case Action.Cancel c -> {
                c.stepIds().forEach(id -> setStatus(id, RunState.Step.Status.CANCELLED, "cancelled", c.reason()));
                for (Pending p : List.copyOf(pending)) {
                    if (c.stepIds().contains(p.stepId()) && aborting(p)) {
                        abort(p);
                    }
                }
                return true;
            }
            case Action.Remember r -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = dev.verigen.contracts.Json.convert(r.memo(), Map.class);
                memo = m;
                return true;
            }
            case Action.Finish f -> {
                if (candidates.stream().noneMatch(c -> c.id().equals(f.candidateId()))) {
                    throw new IllegalStateException("finished with an unknown candidate");
                }
                status = "SUCCEEDED";
                answer = f.candidateId();
                reason = f.reason();
                return false;
            }
            case Action.Fail f -> {
                status = "FAILED";
                errorCode = f.code();
                reason = f.detail();
                return false;
            }
        }
    }

    /** Reserves like the run driver: FLOPs in whole FLOPs, rounded up, and refused when any unit has no room. */
    private boolean dispatch(StepKind kind, String label, Action action, long tokens, long calls, double estimate) {
        double flops = Math.ceil(estimate);
        if ((maxTokens != null && usedTokens + reservedTokens + tokens > maxTokens)
                || (maxCalls != null && usedCalls + reservedCalls + calls > maxCalls)
                || (maxFlops != null && usedFlops + reservedFlops + flops > maxFlops)) {
            refused++;
            status = "FAILED";
            errorCode = "budget_exhausted";
            return false;
        }
        reservedTokens += tokens;
        reservedCalls += calls;
        reservedFlops += flops;
        UUID id = UUID.nameUUIDFromBytes(("step-" + steps.size()).getBytes());
        steps.add(new RunState.Step(id, kind, RunState.Step.Status.PENDING, null, null, label, 1));
        Pending p = new Pending(id, kind, label, action, tokens, calls, flops);
        p.dispatchedAt = clock;
        p.finishAt = clock + 1;
        if (delivery.timed() && action instanceof Action.Generate g) {
            p.output = call(g);
            p.finishAt = clock + Math.max(1, p.output.usage().engineMs());
        }
        if (action instanceof Action.Generate g && g.progressTokens() > 0) {
            if (p.output == null) {
                p.output = call(g);
            }
            scheduleProgress(p, g);
        }
        pending.add(p);
        return true;
    }

    private RunEvent complete(Pending p) {
        double draw = random.nextDouble();
        if (draw < delivery.timeoutRate()) {
            release(p, 0, 0, 0);
            return finished(p, List.of(), new JobError("job_timeout", "no result before the deadline", true));
        }
        if (draw < delivery.timeoutRate() + delivery.failureRate()) {
            release(p, 0, p.calls() == 0 ? 0 : 1, 0);
            return finished(p, List.of(), new JobError("engine_error", "simulated failure", true));
        }
        return switch (p.action()) {
            case Action.Generate g -> generated(p, g);
            case Action.Verify v -> {
                for (RunState.Candidate c : state().candidates(v.candidateIds())) {
                    var checked = workers.verify(input.prompt(), input.reference(), c.text());
                    verdicts.put(c.id(), checked.outcome());
                    extracted.put(c.id(), checked.extracted());
                }
                release(p, 0, 0, 0);
                yield finished(p, List.of(), null);
            }
            case Action.Score s -> {
                long spent = 0;
                boolean known = true;
                for (RunState.Candidate c : state().candidates(s.candidateIds())) {
                    Workers.Scored one = workers.scoreWithUsage(s.scorer(), input.prompt(), c.text());
                    scores.computeIfAbsent(c.id(), k -> new LinkedHashMap<>()).put(s.scorer(), one.value());
                    known &= one.tokens() >= 0;
                    spent += Math.max(0, one.tokens());
                    scored++;
                }
                boolean model = Costs.scoringSpendsTokens(s.scorer());
                long tokens = !model ? 0 : known ? Math.min(p.tokens(), spent) : p.tokens() / 2;
                double flops = !model ? 0 : known && p.tokens() > 0 ? Math.ceil(p.flops * tokens / p.tokens())
                        : Math.ceil(p.flops / 2);
                release(p, tokens, p.calls(), flops);
                yield finished(p, List.of(), null);
            }
            default -> throw new IllegalStateException();
        };
    }

    private Workers.Generated call(Action.Generate g) {
        RunState.Candidate parent = g.parent() == null ? null : state().candidate(g.parent()).orElse(null);
        String partial = g.continueParent() ? parent.text() : null;
        SamplingParams sampling = dev.verigen.orchestrator.engine.RunDriver.jobSampling(spec.sampling(), g);
        return workers.generate(new Workers.GenerationCall(input.prompt(), g.role(),
                g.pool() == null ? spec.model() : g.pool(), g.prompt() == null ? input.prompt() : g.prompt(), partial,
                g.oneStep(), g.n(), sampling, g.label()));
    }

    private RunEvent generated(Pending p, Action.Generate g) {
        String partial = g.continueParent() ? state().candidate(g.parent()).orElseThrow().text() : null;
        var out = p.output != null ? p.output : call(g);
        List<UUID> created = new ArrayList<>();
        for (Sample s : out.samples()) {
            boolean complete = !g.oneStep() || Stepwise.finishes(s.text(), s.finishReason());
            String text = partial == null && !g.oneStep() ? s.text()
                    : Stepwise.extend(partial == null ? "" : partial, s.text(), complete);
            UUID id = UUID.nameUUIDFromBytes(("cand-" + candidates.size()).getBytes());
            candidates.add(new RunState.Candidate(id, candidates.size(), text, null, null, null, Map.of(), g.parent(),
                    g.label(), g.role() == null ? Role.GENERATE : g.role(), g.pool() == null ? spec.model() : g.pool(),
                    complete, s.finishReason(), s.completionTokens(), s.logprob()));
            created.add(id);
        }
        release(p, Math.min(p.tokens(), out.usage().totalTokens()), Math.min(p.calls(), out.usage().calls()),
                generatedFlops(p, g, out));
        return finished(p, created, null);
    }

    private RunEvent.StepFinished finished(Pending p, List<UUID> created, JobError error) {
        setStatus(p.stepId(), error == null ? RunState.Step.Status.DONE : RunState.Step.Status.FAILED,
                error == null ? null : error.code(), error == null ? null : error.message());
        return new RunEvent.StepFinished(p.stepId(), p.kind(), p.label(), created, error);
    }

    /**
     * A generation's FLOPs as the result applier settles them: per sample from the measured tokens on the pool it ran
     * on, in whole FLOPs, never above the reservation.
     */
    private double generatedFlops(Pending p, Action.Generate g, Workers.Generated out) {
        List<Long> lengths = out.samples().stream().map(Sample::completionTokens).toList();
        double measured = compute.generation(g.pool(), out.usage().promptTokens(), lengths);
        return Math.min(p.flops, Math.ceil(measured));
    }

    private void release(Pending p, long tokens, long calls, double flops) {
        reservedTokens -= p.tokens();
        reservedCalls -= p.calls();
        reservedFlops -= p.flops;
        usedTokens += tokens;
        usedCalls += calls;
        usedFlops += flops;
        if (maxTokens != null && usedTokens > maxTokens || maxCalls != null && usedCalls > maxCalls
                || maxFlops != null && usedFlops > maxFlops) {
            throw new IllegalStateException("overspent: " + usedTokens + " tokens, " + usedCalls + " calls, "
                    + usedFlops + " FLOPs");
        }
    }

    private RunState.Step.Status stepStatus(UUID id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().status();
    }

    private void setStatus(UUID id, RunState.Step.Status status, String code, String detail) {
        for (int i = 0; i < steps.size(); i++) {
            RunState.Step s = steps.get(i);
            if (s.id().equals(id) && (s.status() == RunState.Step.Status.PENDING)) {
                steps.set(i, new RunState.Step(id, s.kind(), status, code, detail, s.label(), s.attempt()));
            }
        }
    }
}
