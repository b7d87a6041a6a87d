package dev.verigen.orchestrator.experiments.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The k-subsets of a run's n samples that majority@k and best-of-N@k average over. When there are few enough
 * of them every one is visited, so the expectation is exact (k = n is always one subset: the vote over all);
 * otherwise a fixed number are drawn uniformly with a seeded generator, so a report is reproducible.
 */
final class Subsets {

    /** Subsets visited at most per (run, k): the Monte-Carlo sample size, and the cut-off for enumerating. */
    static final int LIMIT = 200;

    /** Receives each subset as ascending sample positions; the array is reused between calls. */
    interface Visitor {
        void visit(int[] ascending);
    }

    private Subsets() {
    }

    /** Visits the k-subsets of {0..n−1} and returns how many it visited. */
    static int visit(int n, int k, long seed, Visitor visitor) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("need 1 <= k <= n, got n=%d k=%d".formatted(n, k));
        }
        return binomialAtMost(n, k, LIMIT) ? enumerate(n, k, visitor) : sample(n, k, seed, visitor);
    }

    private static int enumerate(int n, int k, Visitor visitor) {
        int[] subset = new int[k];
        for (int i = 0; i < k; i++) {
            subset[i] = i;
        }
        int visited = 0;
        while (true) {
            visitor.visit(subset);
            visited++;
            int i = k - 1;
            while (i >= 0 && subset[i] == n - k + i) {
                i--;
            }
            if (i < 0) {
                return visited;
            }
            subset[i]++;
            for (int j = i + 1; j < k; j++) {
                subset[j] = subset[j - 1] + 1;
            }
        }
    }

    private static int sample(int n, int k, long seed, Visitor visitor) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] pool = new int[n];
        int[] subset = new int[k];
        for (int draw = 0; draw < LIMIT; draw++) {
            for (int i = 0; i < n; i++) {
                pool[i] = i;
            }
            // partial Fisher–Yates: the first k slots become a uniform k-subset
            for (int i = 0; i < k; i++) {
                int j = i + random.nextInt(n - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            System.arraycopy(pool, 0, subset, 0, k);
            Arrays.sort(subset);
            visitor.visit(subset);
        }
        return LIMIT;
    }

    /** C(n, k) ≤ limit, decided without computing binomials that overflow. */
    static boolean binomialAtMost(int n, int k, int limit) {
        int m = Math.min(k, n - k);
        double c = 1;
        for (int i = 1; i <= m; i++) {
            c = c * (n - m + i) / i; // exact in a double while it stays below 2^53, and we stop long before
            if (c > limit) {
                return false;
            }
        }
        return true;
    }

    /** One seed per (report seed, arm, item, run seed, k), so a run's subsets don't depend on run order. */
    static long seed(long reportSeed, String arm, String item, long runSeed, int k) {
        long h = mix(reportSeed);
        h = mix(h ^ arm.hashCode());
        h = mix(h ^ item.hashCode());
        h = mix(h ^ runSeed);
        return mix(h ^ k);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
