package dev.verigen.bench.strategies;

import dev.verigen.orchestrator.allocation.Arm;
import dev.verigen.orchestrator.allocation.CurveBook;
import dev.verigen.orchestrator.allocation.Features;
import dev.verigen.orchestrator.allocation.ItemRun;
import dev.verigen.orchestrator.allocation.Observation;
import dev.verigen.orchestrator.allocation.Options;
import dev.verigen.orchestrator.allocation.PooledVote;
import dev.verigen.orchestrator.allocation.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Phase 1: learns the curve book on a training split disjoint from the evaluation suite. Per training item, one
 * voting run of {@code maxSamples} samples and one run of every search arm, all with the training references as
 * labels. Voting curves come from prefixes of random orders of the item's samples (as Snell et al. subsample a large
 * pool): each order gives the features at every stage and the pooled vote's correctness at every larger size, so
 * one run per item yields smooth curves. The pooled vote's weight exponent is chosen first, as the one of
 * {1, 2, 4} with the best mean training accuracy over the ladder's sizes.
 *
 * <p>When the voting arm is verified, the book also keeps the verifier's false-positive and false-negative rates
 * measured on the training samples against their references ({@link CurveBook.VerifierErrors}), which
 * compute_optimal plans with unless rates are given.
 *
 * <p>A voting purchase costs its prompt once (one prefill shared by its samples) plus its samples' completions, so
 * the book's cost model is measured in those two parts: {@code runTokens} per run and {@code sampleTokens} per
 * sample. Folding the prompt into a per-sample average would make a 4-sample purchase look as cheap per sample as a
 * 64-sample one, which is far from true where the prompt dominates (arith: ~53 prompt tokens, ~3.4 per answer).
 */
final class AllocationTraining {

    /** What the training phase learned and spent. */
    record Learned(CurveBook book, int items, long tokens, int observations, List<String> exponentScores) {
    }

    private static final double[] EXPONENTS = {1, 2, 4};

    private AllocationTraining() {
    }

    /**
     * @param suite the suite the book is for (it is stored per pool and suite)
     * @param runs  where the training runs execute; their seeds are {@code seed * 1_000_003 + item index}
     */
    static Learned learn(Options options, String suite, List<Task> tasks, long seed, int orders, AllocationRuns runs) {
        List<List<Sample>> pools = new ArrayList<>();
        List<Double> perSample = new ArrayList<>();
        List<Long> perRun = new ArrayList<>();
        List<List<ItemRun>> searches = new ArrayList<>();
        long tokens = 0;
        int max = options.maxSamples();
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            long runSeed = seed * 1_000_003L + i;
            ItemRun pool = runs.run(task.id(), "train", options.votingArm().name(),
                    AllocationRuns.votingSpec(options, max, runSeed), options.promptTokens()
                            + (long) max * options.sampleMaxTokens(), task);
            tokens += pool.tokens();
            pools.add(pool.samples());
            long completion = pool.samples().stream().mapToLong(Sample::tokens).sum();
            perSample.add(completion / (double) Math.max(1, pool.samples().size()));
            perRun.add(pool.tokens() - completion);
            List<ItemRun> mine = new ArrayList<>();
            for (Arm arm : options.searchArms()) {
                ItemRun r = runs.run(task.id(), "train", arm.name(), AllocationRuns.searchSpec(options, arm,
                        runSeed), arm.maxTokens(), task);
                tokens += r.tokens();
                mine.add(r);
            }
            searches.add(mine);
        }
        List<int[]> orderings = orderings(tasks.size(), max, orders, seed);
        List<Integer> rungs = new ArrayList<>();
        for (int n = options.pilotSamples(); n <= max; n *= 2) {
            rungs.add(n);
        }
        List<String> scores = new ArrayList<>();
        double exponent = EXPONENTS[0];
        double bestScore = -1;
        for (double e : EXPONENTS) {
            double score = voteAccuracy(tasks, pools, orderings, rungs, e);
            scores.add(String.format(java.util.Locale.ROOT, "%.0f: %.4f", e, score));
            if (score > bestScore + 1e-12) {
                bestScore = score;
                exponent = e;
            }
        }
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            String ref = tasks.get(i).reference();
            List<Sample> pool = pools.get(i);
            double solve = pool.stream().filter(s -> ref.equals(s.answer())).count() / (double) Math.max(1, pool.size());
            for (int o = 0; o < orders; o++) {
                List<Sample> ordered = ordered(pool, orderings.get(i * orders + o));
                for (int stage : rungs.subList(0, rungs.size() - 1)) {
                    if (stage > ordered.size()) {
                        continue;
                    }
                    Features f = Features.of(ordered.subList(0, stage), exponent);
                    for (int size : rungs) {
                        if (size >= stage && size <= ordered.size()) {
                            boolean right = ref.equals(PooledVote.of(ordered.subList(0, size), exponent).answer());
                            // what one run of that size costs: its prompt once, then its samples
                            obs.add(new Observation(options.votingArm().name(), f, size,
                                    perRun.get(i) + size * perSample.get(i), right, solve));
                        }
                    }
                    for (ItemRun r : searches.get(i)) {
                        Arm arm = options.searchArms().stream().filter(a -> a.name().equals(r.strategy())).findFirst()
                                .orElseThrow();
                        obs.add(new Observation(arm.name(), f, arm.n(), r.tokens(), ref.equals(r.answer()), solve));
                    }
                }
            }
        }
        CurveBook fitted = CurveBook.fit(options.model(), suite, options.votingArm().name(), exponent,
                options.bins(), obs);
        double sampleTokens = perSample.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double runTokens = perRun.stream().mapToLong(Long::longValue).average().orElse(0);
        CurveBook book = new CurveBook(fitted.pool(), fitted.suite(), fitted.source(), fitted.bins(),
                fitted.voteExponent(), sampleTokens, runTokens, fitted.stages(), fitted.curves(), verifierErrors(tasks,
                pools));
        return new Learned(book, tasks.size(), tokens, obs.size(), scores);
    }

    /**
     * The verifier's errors where its verdicts met the training references (as an experiment learns them at close);
     * null when the voting runs had no verifier.
     */
    static CurveBook.VerifierErrors verifierErrors(List<Task> tasks, List<List<Sample>> pools) {
        List<Boolean> pass = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            for (Sample s : pools.get(i)) {
                pass.add(s.verified());
                right.add(tasks.get(i).reference().equals(s.answer()));
            }
        }
        return CurveBook.VerifierErrors.of(pass, right);
    }

    private static double voteAccuracy(List<Task> tasks, List<List<Sample>> pools, List<int[]> orderings,
                                       List<Integer> rungs, double exponent) {
        int orders = orderings.size() / tasks.size();
        double right = 0;
        int count = 0;
        for (int i = 0; i < tasks.size(); i++) {
            for (int o = 0; o < orders; o++) {
                List<Sample> ordered = ordered(pools.get(i), orderings.get(i * orders + o));
                for (int size : rungs) {
                    if (size <= ordered.size()) {
                        right += tasks.get(i).reference().equals(PooledVote.of(ordered.subList(0, size), exponent)
                                .answer()) ? 1 : 0;
                        count++;
                    }
                }
            }
        }
        return right / Math.max(1, count);
    }

    private static List<int[]> orderings(int items, int size, int orders, long seed) {
        var random = new SplittableRandom(seed ^ 0x0dde5L);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < items * orders; i++) {
            int[] p = new int[size];
            for (int k = 0; k < size; k++) {
                p[k] = k;
            }
            for (int k = size - 1; k > 0; k--) {
                int j = random.nextInt(k + 1);
                int t = p[k];
                p[k] = p[j];
                p[j] = t;
            }
            out.add(p);
        }
        return out;
    }

    private static List<Sample> ordered(List<Sample> pool, int[] order) {
        List<Sample> out = new ArrayList<>();
        for (int k : order) {
            if (k < pool.size()) {
                out.add(pool.get(k));
            }
        }
        return out;
    }
}
