package dev.verigen.orchestrator.strategies.sampling;

import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.Headroom;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sampling n answers to the run's prompt — at once, or in batches when adaptive — spread round-robin over sampling
 * temperatures, and having each generation verified and scored. Shared by the strategies that sample independent
 * answers and then select (best-of-N, self-consistency); what to select and when to stop stays theirs.
 */
public final class Batches {

    /**
     * What to sample.
     *
     * @param adaptive       batches and early stopping; null samples all n at once
     * @param temperatures   sample s is drawn at {@code temperatures[s % size]}; empty keeps the run's temperature
     * @param reserveScoring size each batch so the budget's calls can also pay for scoring it (the selection needs
     *                       the scores)
     * @param logprobs       ask the engine for each sample's log-probability (the selection reads them)
     */
    public record Plan(int n, Adaptive adaptive, List<Double> temperatures, boolean reserveScoring, boolean logprobs) {
        public Plan {
            temperatures = temperatures == null ? List.of() : List.copyOf(temperatures);
        }

        public Plan(int n, Adaptive adaptive, List<Double> temperatures, boolean reserveScoring) {
            this(n, adaptive, temperatures, reserveScoring, false);
        }
    }

    /** The sampling strategies' memo while sampling adaptively: samples asked for so far, in how many batches. */
    public record Memo(int requested, int batches) {
    }

    private Batches() {
    }

    /** Whether the plan starts every sample at once, one job each, and stops the rest once they are pointless. */
    public static boolean aborting(Plan plan) {
        return plan.adaptive() != null && plan.adaptive().abort();
    }

    /** The first batch (all n when not adaptive), or a failure when not even one sample is affordable. */
    public static List<Action> start(RunState state, Plan plan) {
        if (aborting(plan)) {
            return startEach(state, plan, 0);
        }
        int want = plan.adaptive() == null ? plan.n() : Math.min(plan.adaptive().batch(), plan.n());
        int count = affordable(state, plan, 0, want);
        if (count < 1) {
            return List.of(new Action.Fail("budget_exhausted", "the budget cannot pay for a single sample of up to "
                    + state.spec().sampling().maxTokens() + " tokens"));
        }
        List<Action> actions = new ArrayList<>(generations(plan, 1, 0, count));
        if (plan.adaptive() != null) {
            actions.add(new Action.Remember(new Memo(count, 1)));
        }
        return actions;
    }

    /**
     * Every sample as a job of its own ({@code sample-<s>}, under its temperature's label when there are several), as
     * many as the budget pays for, each reporting its text so far every {@code progressTokens} tokens (0: none).
     */
    public static List<Action> startEach(RunState state, Plan plan, int progressTokens) {
        String prompt = state.input().prompt();
        int maxTokens = state.spec().sampling().maxTokens();
        long scoringCalls = plan.reserveScoring() && state.spec().rewardModel() != null
                ? Costs.scoring(state.spec().rewardModel(), prompt, List.of("")).calls() : 0;
        Headroom room = Headroom.of(state.budget());
        Costs.Bound one = Costs.generation(room.compute(), null, prompt, 1, maxTokens)
                .plus(new Costs.Bound(0, scoringCalls, 0));
        int count = room.most(plan.n(), one::times);
        if (count < 1) {
            return List.of(new Action.Fail("budget_exhausted", "the budget cannot pay for a single sample of up to "
                    + maxTokens + " tokens"));
        }
        List<Action> jobs = new ArrayList<>(count);
        int t = plan.temperatures().size();
        for (int sample = 0; sample < count; sample++) {
            Action.Generate g = Action.Generate.samples(t == 0 ? "sample-" + sample
                            : "t" + (sample % t) + "=" + plan.temperatures().get(sample % t) + "/sample-" + sample, 1)
                    .withLogprobs(plan.logprobs()).withProgress(progressTokens);
            jobs.add(t == 0 ? g : g.withTemperature(plan.temperatures().get(sample % t)));
        }
        return jobs;
    }

    /** The next batch, or nothing when n samples were asked for, the budget cannot pay for one, or not adaptive. */
    public static List<Action> next(RunState state, Plan plan) {
        if (plan.adaptive() == null || aborting(plan)) {
            return List.of();
        }
        Memo memo = memo(state);
        int want = Math.min(plan.adaptive().batch(), plan.n() - memo.requested());
        int count = want < 1 ? 0 : affordable(state, plan, memo.requested(), want);
        if (count < 1) {
            return List.of();
        }
        List<Action> actions = new ArrayList<>(generations(plan, memo.batches() + 1, memo.requested(), count));
        actions.add(new Action.Remember(new Memo(memo.requested() + count, memo.batches() + 1)));
        return actions;
    }

    public static Memo memo(RunState state) {
        return state.memo(Memo.class).orElse(new Memo(state.answers().size(), 1));
    }

    /**
     * What the reason says about adaptive sampling: samples used of n, batches, and why it stopped short of n.
     *
     * @param stoppedBecause the stopping rule's explanation when it fired, else null
     */
    public static String report(RunState state, Plan plan, String stoppedBecause) {
        if (plan.adaptive() == null) {
            return "";
        }
        Memo memo = memo(state);
        String out = "; adaptive: used " + state.answers().size() + " of " + plan.n() + " samples in " + memo.batches()
                + (memo.batches() == 1 ? " batch" : " batches");
        if (memo.requested() >= plan.n()) {
            return out;
        }
        return out + (stoppedBecause != null ? ", stopped early: " + stoppedBecause
                : ", stopped: the budget could not pay for more");
    }

    /** Verification (when there is a reference) and scoring (when affordable) of a generation's new candidates. */
    /**
     * How a sampling run ends once everything asked for is back.
     *
     * @param stopReason why more samples are pointless (adaptive stopping), or null to sample on while n allows
     * @param conclude   the finishing action, given the report of batches used
     */
    public record Ending(String stopReason, java.util.function.Function<String, Action> conclude) {
    }

    /**
     * A sampling strategy's decision after a step: judge what is new; once nothing is pending, draw the next batch
     * unless more samples are pointless, else conclude. {@code ending} is only asked for when nothing is pending.
     */
    public static List<Action> afterStep(RunState state, RunEvent.StepFinished event, Plan plan,
                                         java.util.function.Supplier<Ending> ending) {
        if (aborting(plan)) {
            return afterEach(state, event, plan, ending);
        }
        List<Action> actions = new java.util.ArrayList<>(judge(state, event));
        if (actions.isEmpty() && state.pendingSteps() == 0) {
            Ending end = ending.get();
            if (end.stopReason() == null) {
                List<Action> next = next(state, plan);
                if (!next.isEmpty()) {
                    return next;
                }
            }
            actions.add(end.conclude().apply(report(state, plan, end.stopReason())));
        }
        return actions;
    }

    /**
     * Every sample runs at once: judge what comes back, and as soon as more samples are pointless answer — the run's
     * end stops the samples still running at the workers (engine-side abort), and only what they generated is billed.
     */
    private static List<Action> afterEach(RunState state, RunEvent.StepFinished event, Plan plan,
                                          java.util.function.Supplier<Ending> ending) {
        List<Action> judging = judge(state, event);
        if (!judging.isEmpty()) {
            return judging;
        }
        Ending end = ending.get();
        long running = state.steps().stream().filter(s -> s.kind() == StepKind.GENERATION
                && s.status() == RunState.Step.Status.PENDING).count();
        if (end.stopReason() != null) {
            return List.of(end.conclude().apply("; adaptive (abort): settled with " + state.answers().size() + " of "
                    + plan.n() + " samples back: " + end.stopReason()
                    + (running > 0 ? "; the " + running + " still running were stopped" : "")));
        }
        if (state.pendingSteps() == 0) {
            return List.of(end.conclude().apply("; adaptive (abort): all " + state.answers().size()
                    + " samples back, never settled"));
        }
        return List.of();
    }

    public static List<Action> judge(RunState state, RunEvent.StepFinished event) {
        List<Action> actions = new ArrayList<>();
        if (event.kind() == StepKind.GENERATION && !event.newCandidates().isEmpty()) {
            if (state.spec().verifier() != null && state.input().hasReference()) {
                actions.add(new Action.Verify(event.newCandidates()));
            }
            if (state.spec().rewardModel() != null && canAffordScoring(state, event.newCandidates())) {
                actions.add(new Action.Score(event.newCandidates()));
            }
        }
        return actions;
    }

    /** Scoring is skipped, not failed, when the budget cannot pay for it (a judge costs k calls per candidate). */
    public static boolean canAffordScoring(RunState state, List<UUID> ids) {
        List<String> texts = ids.stream().map(id -> state.candidate(id).map(RunState.Candidate::text).orElse(""))
                .toList();
        return Costs.canAffordScoring(state.budget(), state.spec().rewardModel(), state.input().prompt(), texts);
    }

    /**
     * How many of samples {@code from .. from + want - 1} the budget can pay for: each temperature's generation job
     * reserves the prompt bound plus max tokens per sample (and their FLOPs on the run's model), and each sample a
     * call (and its scoring calls when the plan reserves them). Judge scorers' tokens and FLOPs depend on the texts
     * to come and are not reserved: scoring is skipped when it cannot be paid.
     */
    static int affordable(RunState state, Plan plan, int from, int want) {
        String prompt = state.input().prompt();
        int maxTokens = state.spec().sampling().maxTokens();
        long scoringCalls = plan.reserveScoring() && state.spec().rewardModel() != null
                ? Costs.scoring(state.spec().rewardModel(), prompt, List.of("")).calls() : 0;
        Headroom room = Headroom.of(state.budget());
        return room.most(want, count -> {
            Costs.Bound cost = new Costs.Bound(0, count * scoringCalls, 0);
            for (int size : split(plan, from, count)) {
                if (size > 0) {
                    cost = cost.plus(Costs.generation(room.compute(), null, prompt, size, maxTokens));
                }
            }
            return cost;
        });
    }

    /** How many of samples {@code from .. from + count - 1} each temperature draws (one entry without temperatures). */
    static int[] split(Plan plan, int from, int count) {
        int t = Math.max(1, plan.temperatures().size());
        int[] sizes = new int[t];
        for (int i = 0; i < t; i++) {
            // samples s in [from, from + count) with s % t == i
            sizes[i] = Math.floorDiv(from + count - 1 - i, t) - Math.floorDiv(from - 1 - i, t);
        }
        return sizes;
    }

    /**
     * The generation jobs of one batch. Labels seed the samples, so each batch and temperature gets its own
     * ("batch-2/t1=0.7"); sampling all at once at the run's temperature keeps the plain, unlabelled job.
     */
    static List<Action.Generate> generations(Plan plan, int batch, int from, int count) {
        String prefix = plan.adaptive() == null ? "" : "batch-" + batch;
        if (plan.temperatures().isEmpty()) {
            return List.of(Action.Generate.samples(prefix, count).withLogprobs(plan.logprobs()));
        }
        int[] sizes = split(plan, from, count);
        List<Action.Generate> jobs = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > 0) {
                double temperature = plan.temperatures().get(i);
                String label = (prefix.isEmpty() ? "" : prefix + "/") + "t" + i + "=" + temperature;
                jobs.add(Action.Generate.samples(label, sizes[i]).withTemperature(temperature)
                        .withLogprobs(plan.logprobs()));
            }
        }
        return jobs;
    }
}
