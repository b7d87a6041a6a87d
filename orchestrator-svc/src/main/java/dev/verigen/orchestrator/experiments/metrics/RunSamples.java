package dev.verigen.orchestrator.experiments.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's samples, ordered by index and reduced to what pass@k, majority@k and best-of-N@k need. Answers
 * become small integer classes so a vote over a subset is array counting, not hashing: an experiment may ask
 * for hundreds of subsets of a thousand samples per run and k.
 */
final class RunSamples {

    private static final int NO_ANSWER = -1;

    final int n;
    final int correct;
    final boolean anyScore;
    private final boolean[] sampleCorrect;
    private final int[] answerClass;
    /** A class is as right as its earliest sample: the one a tie-broken vote would present. */
    private final boolean[] classCorrect;
    private final double[] score;
    private final boolean[] scored;

    /** How often majority and best-of-N picked a correct answer over the subsets visited. */
    record Selection(double majority, Double bestOfN) {
    }

    private RunSamples(List<GradedSample> byIndex) {
        n = byIndex.size();
        sampleCorrect = new boolean[n];
        answerClass = new int[n];
        score = new double[n];
        scored = new boolean[n];
        Map<String, Integer> classes = new HashMap<>();
        boolean[] firstCorrect = new boolean[n];
        int c = 0;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            GradedSample s = byIndex.get(i);
            sampleCorrect[i] = s.correct();
            c += s.correct() ? 1 : 0;
            if (s.answer() == null) {
                answerClass[i] = NO_ANSWER;
            } else {
                Integer known = classes.get(s.answer());
                if (known == null) {
                    known = classes.size();
                    classes.put(s.answer(), known);
                    firstCorrect[known] = s.correct();
                }
                answerClass[i] = known;
            }
            // a NaN score orders nothing, so it counts as no score
            if (s.score() != null && !s.score().isNaN()) {
                score[i] = s.score();
                scored[i] = true;
                any = true;
            }
        }
        correct = c;
        anyScore = any;
        classCorrect = Arrays.copyOf(firstCorrect, classes.size());
    }

    static RunSamples of(GradedRun run) {
        return new RunSamples(run.samples().stream().sorted(Comparator.comparingInt(GradedSample::index)).toList());
    }

    double passAt(int k) {
        return PassAtK.estimate(n, correct, k);
    }

    /** Majority@k and best-of-N@k (null when the run has no scores) over the same subsets, for a paired comparison. */
    Selection selectAt(int k, long seed) {
        int[] votes = new int[classCorrect.length];
        boolean[] counted = new boolean[classCorrect.length];
        double[] hits = new double[2];
        int visited = Subsets.visit(n, k, seed, subset -> {
            hits[0] += majorityIsCorrect(subset, votes, counted) ? 1 : 0;
            hits[1] += sampleCorrect[bestScored(subset)] ? 1 : 0;
        });
        return new Selection(hits[0] / visited, anyScore ? hits[1] / visited : null);
    }

    /** The most frequent answer wins; among equals, the one whose first sample comes earliest. No votes: wrong. */
    private boolean majorityIsCorrect(int[] subset, int[] votes, boolean[] counted) {
        for (int p : subset) {
            if (answerClass[p] != NO_ANSWER) {
                votes[answerClass[p]]++;
            }
        }
        int winner = NO_ANSWER;
        int most = 0;
        // ascending positions meet each class first at its earliest sample, so ">" keeps the earliest of a tie
        for (int p : subset) {
            int cls = answerClass[p];
            if (cls != NO_ANSWER && !counted[cls]) {
                counted[cls] = true;
                if (votes[cls] > most) {
                    most = votes[cls];
                    winner = cls;
                }
            }
        }
        for (int p : subset) {
            if (answerClass[p] != NO_ANSWER) {
                votes[answerClass[p]] = 0;
                counted[answerClass[p]] = false;
            }
        }
        return winner != NO_ANSWER && classCorrect[winner];
    }

    /**
     * The highest-scored sample, the earliest among equals. Unscored samples rank below every scored one rather
     * than being unselectable, so best-of-1 is simply the sample drawn, as pass@1.
     */
    private int bestScored(int[] subset) {
        int best = subset[0];
        for (int p : subset) {
            if (scored[p] && (!scored[best] || score[p] > score[best])) {
                best = p;
            }
        }
        return best;
    }
}
