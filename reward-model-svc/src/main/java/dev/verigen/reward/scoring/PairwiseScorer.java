package dev.verigen.reward.scoring;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Ranks candidates by comparing them two at a time and scores each with its <b>win rate</b>: the mean, over every
 * other candidate, of the probability that it beats that one (a tie counts one half). Scores are in [0, 1]; with one
 * candidate the score is 0.5. Two ways to get the comparisons:
 * <ul>
 * <li>{@link #bradleyTerry}: from a pointwise scorer's scores read as Bradley–Terry strengths,
 * {@code P(a ≻ b) = σ(logit s_a − logit s_b)} (one call of the pointwise scorer; used by the simulators);</li>
 * <li>{@link #judged}: a {@link PairJudge} asked about every pair, e.g. a reranker shown the prompt and the two
 * candidates ({@code n·(n−1)/2} comparisons, run concurrently).</li>
 * </ul>
 * Either way the win rates order the candidates as the comparisons do: with Bradley–Terry comparisons they order them
 * exactly as the pointwise scores.
 */
public final class PairwiseScorer implements Scorer {

    /** The variant a job selects with {@code <scorer>:pairwise}. */
    public static final String VARIANT = "pairwise";

    /** Compares two candidates of a job. */
    @FunctionalInterface
    public interface PairJudge {
        Comparison compare(ScoringJob job, CandidateRef a, CandidateRef b);
    }

    /** @param preferA probability that a is better than b, in [0, 1]; usage what the comparison cost */
    public record Comparison(double preferA, Usage usage) {
        public Comparison {
            if (!(preferA >= 0 && preferA <= 1)) {
                throw new IllegalArgumentException("preference must be a probability, was " + preferA);
            }
            usage = usage == null ? Usage.ZERO : usage;
        }
    }

    private final String name;
    private final Scorer pointwise;
    private final PairJudge judge;
    private final int concurrency;

    private PairwiseScorer(String name, Scorer pointwise, PairJudge judge, int concurrency) {
        this.name = name;
        this.pointwise = pointwise;
        this.judge = judge;
        this.concurrency = concurrency;
    }

    /** Bradley–Terry comparisons derived from {@code base}'s scores (read as probabilities); costs one call of base. */
    public static PairwiseScorer bradleyTerry(String name, Scorer base) {
        return new PairwiseScorer(name, base, null, 1);
    }

    /** Asks {@code judge} about every pair, at most {@code concurrency} at a time. */
    public static PairwiseScorer judged(String name, PairJudge judge, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("pairwise concurrency must be >= 1");
        }
        return new PairwiseScorer(name, null, judge, concurrency);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Scored score(ScoringJob job) {
        List<CandidateRef> cs = job.candidates();
        int n = cs.size();
        double[][] prefer = new double[n][n];
        Usage usage;
        if (pointwise != null) {
            Scored base = pointwise.score(job);
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    prefer[i][j] = preference(base.scores().get(i).value(), base.scores().get(j).value());
                }
            }
            usage = base.usage();
        } else {
            usage = judgeAll(job, prefer);
        }
        List<Score> scores = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double wins = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    wins += i < j ? prefer[i][j] : 1 - prefer[j][i];
                }
            }
            scores.add(new Score(cs.get(i).candidateId(), n == 1 ? 0.5 : wins / (n - 1)));
        }
        return new Scored(scores, usage);
    }

    private Usage judgeAll(ScoringJob job, double[][] prefer) {
        List<CandidateRef> cs = job.candidates();
        int n = cs.size();
        Semaphore permits = new Semaphore(concurrency);
        List<int[]> pairs = new ArrayList<>();
        List<Future<Comparison>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    CandidateRef a = cs.get(i);
                    CandidateRef b = cs.get(j);
                    pairs.add(new int[] {i, j});
                    futures.add(executor.submit(() -> {
                        permits.acquire();
                        try {
                            return judge.compare(job, a, b);
                        } finally {
                            permits.release();
                        }
                    }));
                }
            }
            Usage usage = Usage.ZERO;
            for (int k = 0; k < futures.size(); k++) {
                Comparison c = await(futures.get(k), executor);
                prefer[pairs.get(k)[0]][pairs.get(k)[1]] = c.preferA();
                usage = usage.plus(c.usage());
            }
            return usage;
        }
    }

    private static Comparison await(Future<Comparison> future, ExecutorService executor) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // one failed comparison fails the job: stop the others rather than wait for answers nobody uses
            executor.shutdownNow();
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
            throw new ScorerException(ScorerErrors.SCORER_ERROR, "interrupted while comparing candidates", true);
        }
    }

    /**
     * Bradley–Terry preference of a over b from two pointwise scores: {@code σ(logit a − logit b)} when both are
     * probabilities (clamped to [1e-6, 1 − 1e-6]), else {@code σ(a − b)} for unbounded (raw logit) scores.
     */
    public static double preference(double a, double b) {
        if (a >= 0 && a <= 1 && b >= 0 && b <= 1) {
            return sigmoid(logit(a) - logit(b));
        }
        return sigmoid(a - b);
    }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public String toString() {
        return "PairwiseScorer[" + name + "]";
    }
}
