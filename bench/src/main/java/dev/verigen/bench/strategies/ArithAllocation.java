package dev.verigen.bench.strategies;

import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.orchestrator.allocation.ComputeOptimal;
import dev.verigen.orchestrator.allocation.Decision;
import dev.verigen.orchestrator.allocation.Options;
import dev.verigen.orchestrator.strategies.Answers;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * compute_optimal on the arith suite with the real model: the batch-level counterpart of {@link ArithSuiteBench}'s
 * per-question methods. A curve book is learned for pool {@code arith-tiny} / suite {@code arith} on questions the
 * evaluation never sees ({@link AllocationTraining}), then the allocator spends one token budget over the evaluated
 * questions ({@link AllocationBatch}), every purchase an ordinary run against the same {@link ArithWorkers}.
 *
 * <p>arith-tiny has no reward model, so each sample's score is its sequence probability ({@link SampleScore#LIKELIHOOD}):
 * the difficulty features read agreement and likelihood, and the pooled vote is a likelihood-weighted vote.
 */
final class ArithAllocation {

    /**
     * One allocator configuration.
     *
     * @param verifier null: the allocator never sees the reference (comparable to the votes); {@code numeric}: the
     *                 suite's oracle check on every purchased sample (comparable to verified best-of-N)
     */
    record Variant(String label, String verifier) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("compute_optimal (agreement + likelihood)", null),
            new Variant("compute_optimal (verified)", "numeric"));

    /** The training split and how the books were learned. */
    record Training(int requested, long seed, int items, int orders) {
    }

    /**
     * One variant at one budget. {@code budgetN}: the budget is majority vote @budgetN's tokens for the batch;
     * {@code settledOnPilot}: questions the allocator settled on their pilot alone.
     */
    record Allocated(Variant variant, int budgetN, long budget, int tasks, int correct, long tokens,
                     long completionTokens, int rounds, Map<String, Integer> purchases, Map<String, Integer> reasons,
                     int settledOnPilot) {
        double accuracy() {
            return correct / (double) tasks;
        }

        double tokensPerTask() {
            return tokens / (double) tasks;
        }

        double completionPerTask() {
            return completionTokens / (double) tasks;
        }
    }

    /**
     * What the compute_optimal part measured: the books learned and every (variant, budget).
     *
     * @param promptBound the prompt tokens a purchase reserves (the platform's bound, template allowance included)
     */
    record Measured(Training training, Map<Variant, AllocationTraining.Learned> books, List<Allocated> results,
                    long promptBound, double wallS) {
    }

    private ArithAllocation() {
    }

    /**
     * The allocator's settings for the arith pool: the same voting arm for both variants (self_consistency with a
     * likelihood vote, so the engine reports each sample's log-probability), at the pool's temperature and answer
     * length; the pilot and ladder as on sim-math.
     */
    static Options options(Variant variant, long promptTokens, long seed, int maxSamples) {
        Map<String, Object> m = new HashMap<>();
        m.put("model", ArithWorkers.POOL);
        if (variant.verifier() != null) {
            m.put("verifier", variant.verifier());
        }
        m.put("pilotSamples", 4);
        m.put("maxSamples", maxSamples);
        m.put("bins", 5);
        m.put("sampleMaxTokens", ArithSuiteBench.ARITH.maxTokens());
        m.put("temperature", ArithSuiteBench.ARITH.temperature());
        m.put("promptTokens", promptTokens);
        m.put("seed", seed);
        m.put("strategies", List.of(Map.of("name", "vote", "strategy", SelfConsistency.NAME,
                "options", Map.of("vote", SelfConsistency.LIKELIHOOD))));
        return Options.read(m);
    }

    /**
     * {@code BuiltInSuites.arith(count, seed)} without any question the evaluation asks: the books must not have
     * seen the evaluated questions' samples. Ids are renamed so they never collide with the evaluated ones.
     */
    static List<Task> trainingSplit(List<Task> evaluated, int count, long seed) {
        Set<String> asked = new HashSet<>();
        evaluated.forEach(t -> asked.add(t.prompt()));
        List<Task> out = new ArrayList<>();
        for (Task t : Task.of(BuiltInSuites.arith(count, seed))) {
            if (!asked.contains(t.prompt())) {
                out.add(new Task("train-" + out.size(), t.prompt(), t.reference()));
            }
        }
        return out;
    }

    /**
     * Learns one book per variant on {@code train}, then runs every variant at every budget on {@code tasks}.
     *
     * @param budgets majority vote's N → the batch budget in tokens (its measured tokens for the batch)
     */
    static Measured measure(List<Task> tasks, Training training, List<Task> train, long seed, int maxSamples,
                            Map<Integer, Long> budgets, ArithWorkers workers) {
        long started = System.nanoTime();
        var runs = new AllocationRuns(workers, SampleScore.LIKELIHOOD);
        long promptBound = 0;
        for (List<Task> list : List.of(tasks, train)) {
            for (Task t : list) {
                promptBound = Math.max(promptBound, Costs.promptTokensBound(t.prompt()));
            }
        }
        Map<Variant, AllocationTraining.Learned> books = new LinkedHashMap<>();
        List<Allocated> results = new ArrayList<>();
        for (Variant variant : VARIANTS) {
            Options options = options(variant, promptBound, seed, maxSamples);
            long t0 = System.nanoTime();
            var learned = AllocationTraining.learn(options, BuiltInSuites.ARITH, train, training.seed(),
                    training.orders(), runs);
            books.put(variant, learned);
            System.err.printf(Locale.ROOT, "%s: trained on %d items, %d observations, exponent %.0f (%s), "
                            + "%.1f tokens/sample + %.1f/run, %d ms%n", variant.label(), learned.items(),
                    learned.observations(), learned.book().voteExponent(), learned.exponentScores(),
                    learned.book().sampleTokens(), learned.book().runTokens(), (System.nanoTime() - t0) / 1_000_000);
            for (var budget : budgets.entrySet()) {
                results.add(allocate(variant, options, learned, budget.getKey(), budget.getValue(), tasks, runs,
                        workers));
            }
        }
        return new Measured(training, books, results, promptBound, (System.nanoTime() - started) / 1e9);
    }

    private static Allocated allocate(Variant variant, Options options, AllocationTraining.Learned learned, int n,
                                      long budget, List<Task> tasks, AllocationRuns runs, ArithWorkers workers) {
        long completion = workers.billedCompletionTokens();
        long t0 = System.nanoTime();
        var outcome = AllocationBatch.run(new ComputeOptimal(options, learned.book()), tasks, budget, runs);
        int correct = 0;
        for (Task t : tasks) {
            Decision d = outcome.decisions().get(t.id());
            correct += d != null && Answers.normalise(t.reference()).equals(d.answer()) ? 1 : 0;
        }
        Map<String, Integer> reasons = new TreeMap<>();
        outcome.decisions().values().forEach(d -> reasons.merge(d.reason().name().toLowerCase(Locale.ROOT), 1,
                Integer::sum));
        Map<String, Integer> runsPerTask = new HashMap<>();
        outcome.runs().forEach(r -> runsPerTask.merge(r.itemId(), 1, Integer::sum));
        int settledOnPilot = (int) outcome.decisions().values().stream()
                .filter(d -> d.reason() == Decision.Reason.SETTLED && runsPerTask.getOrDefault(d.itemId(), 0) == 1)
                .count();
        var a = new Allocated(variant, n, budget, tasks.size(), correct, outcome.tokens(),
                workers.billedCompletionTokens() - completion, outcome.rounds(), outcome.purchasesByArm(), reasons,
                settledOnPilot);
        System.err.printf(Locale.ROOT, "%s, budget majority@%d (%,d): %.3f, %.1f tokens/question, %d rounds, %s, %s "
                        + "(%d ms)%n", variant.label(), n, budget, a.accuracy(), a.tokensPerTask(), a.rounds(),
                a.purchases(), a.reasons(), (System.nanoTime() - t0) / 1_000_000);
        return a;
    }
}
