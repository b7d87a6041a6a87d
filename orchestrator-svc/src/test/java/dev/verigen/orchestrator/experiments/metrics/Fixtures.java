package dev.verigen.orchestrator.experiments.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Terse builders: tests read as tables of answers rather than constructor calls. */
final class Fixtures {

    static final String RIGHT = "42";

    private Fixtures() {
    }

    /** Samples with these answers in index order; the one equal to {@link #RIGHT} is correct, null is none. */
    static List<GradedSample> answers(String... answers) {
        List<GradedSample> samples = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            samples.add(new GradedSample(i, answers[i], RIGHT.equals(answers[i]), null, null, null, 10));
        }
        return samples;
    }

    /** n samples, the first c correct. */
    static List<GradedSample> correctFirst(int n, int c) {
        String[] answers = new String[n];
        for (int i = 0; i < n; i++) {
            answers[i] = i < c ? RIGHT : "w" + i;
        }
        return answers(answers);
    }

    static GradedSample scored(int index, String answer, double score) {
        return new GradedSample(index, answer, RIGHT.equals(answer), null, score, null, 10);
    }

    static GradedSample verdict(int index, boolean correct, Boolean pass) {
        return new GradedSample(index, correct ? RIGHT : "0", correct, pass, null, null, 10);
    }

    static GradedRun run(String item, String arm, Boolean selectedCorrect, List<GradedSample> samples) {
        return new GradedRun(item, arm, 7, selectedCorrect == null ? "FAILED" : "SUCCEEDED", selectedCorrect,
                100, BigDecimal.valueOf(1000), 2, samples);
    }
}
