package dev.verigen.orchestrator.experiments.metrics;

import java.util.ArrayList;
import java.util.List;

/** The unbiased pass@k estimator of Chen et al. (2021) and the k grid every at-k metric is reported on. */
public final class PassAtK {

    private PassAtK() {
    }

    /**
     * The probability that at least one of k samples drawn without replacement from n, c of them correct, is
     * correct: 1 − C(n−c, k) / C(n, k). Written as the product Π_{i=n−c+1..n} (1 − k/i), because the binomials
     * overflow a double long before n reaches the thousands of samples an experiment may draw.
     *
     * @throws IllegalArgumentException unless 0 ≤ c ≤ n and 1 ≤ k ≤ n
     */
    public static double estimate(int n, int c, int k) {
        if (n < 1 || c < 0 || c > n || k < 1 || k > n) {
            throw new IllegalArgumentException("pass@k needs 0 <= c <= n and 1 <= k <= n, got n=%d c=%d k=%d"
                    .formatted(n, c, k));
        }
        if (n - c < k) {
            return 1.0; // every k-subset must contain a correct sample
        }
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return 1.0 - allWrong;
    }

    /** k = 1, 2, 4, 8, ... up to n, plus n itself: the grid the coverage curve and its fit are read on. */
    public static List<Integer> ks(int n) {
        List<Integer> ks = new ArrayList<>();
        for (int k = 1; k > 0 && k <= n; k <<= 1) {
            ks.add(k);
        }
        if (n >= 1 && ks.getLast() != n) {
            ks.add(n);
        }
        return ks;
    }
}
