package dev.verigen.orchestrator.allocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-made curve books, options and runs, so each test states the curves it relies on. */
final class Fixtures {

    static final int PROMPT = 10;
    static final int SAMPLE_MAX = 60;
    static final double SAMPLE_TOKENS = 50;

    private Fixtures() {
    }

    static Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        m.put("model", "sim-math");
        m.put("rewardModel", "sim-orm");
        m.put("pilotSamples", 4);
        m.put("maxSamples", 16);
        m.put("sampleMaxTokens", SAMPLE_MAX);
        m.put("promptTokens", PROMPT);
        m.put("seed", 7);
        return m;
    }

    static Options options() {
        return Options.read(settings());
    }

    static Options options(String key, Object value) {
        Map<String, Object> m = settings();
        m.put(key, value);
        return Options.read(m);
    }

    /**
     * One stage at 4 samples: P(right) = σ(−2 + 4 · agreement), cut at difficulty 0.3, so full agreement (P 0.88) is
     * bin 1 and a four-way split (P 0.27) bin 2. Bin 1's voting curve barely moves, bin 2's rises steeply (or stays
     * flat when {@code flatHardBin}).
     */
    static CurveBook book(boolean flatHardBin) {
        var stage = new CurveBook.Stage(4, false, List.of(-2.0, 4.0, 0.0, 0.0, 0.0, 0.0), List.of(0.3),
                List.of(0.8, 0.1));
        List<CurveBook.Curve> curves = new ArrayList<>();
        curves.add(curve("vote", 1, new double[]{0.90, 0.92, 0.93}));
        curves.add(curve("vote", 2, flatHardBin ? new double[]{0.10, 0.10, 0.10} : new double[]{0.40, 0.60, 0.75}));
        return new CurveBook("sim-math", "test", "fixture", 2, 1.0, SAMPLE_TOKENS, 0, List.of(stage), curves);
    }

    static CurveBook.Curve curve(String arm, int bin, double[] acc) {
        int[] sizes = {4, 8, 16};
        List<CurveBook.Point> points = new ArrayList<>();
        for (int i = 0; i < acc.length; i++) {
            points.add(new CurveBook.Point(sizes[i], sizes[i] * SAMPLE_TOKENS, acc[i], 100));
        }
        return new CurveBook.Curve(arm, 4, bin, points, acc[acc.length - 1]);
    }

    /** A voting run of the given answers, each scored {@code score}, 50 tokens a sample. */
    static ItemRun votes(String item, String tag, double score, String... answers) {
        List<Sample> samples = new ArrayList<>();
        for (String a : answers) {
            samples.add(new Sample(a, null, score, null, 45, true));
        }
        return new ItemRun(item, tag, "vote", 50L * answers.length, samples, answers[0], score);
    }

    /** Bin 1: the pilot agrees. */
    static ItemRun easyPilot(String item) {
        return votes(item, "r0", 0.6, "5", "5", "5", "5");
    }

    /** Bin 2: the pilot's four samples all disagree. */
    static ItemRun hardPilot(String item) {
        return votes(item, "r0", 0.6, "1", "2", "3", "4");
    }

    static long votingCap(int samples) {
        return PROMPT + (long) samples * SAMPLE_MAX;
    }
}
