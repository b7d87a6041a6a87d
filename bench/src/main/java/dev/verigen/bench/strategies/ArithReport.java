package dev.verigen.bench.strategies;

import dev.verigen.bench.Report;
import dev.verigen.bench.strategies.ArithSuiteBench.Measured;
import dev.verigen.bench.strategies.ArithSuiteBench.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The BENCHMARKS.md section of {@link ArithSuiteBench}: baselines, the sweep over N, and token ratios. */
final class ArithReport {

    private ArithReport() {
    }

    static void write(Measured m, int questions, long seed, int maxN, int threads, Path model, boolean write)
            throws IOException {
        var report = new Report("arith", "Real model: arith suite on arith-tiny.gguf");
        report.para("The `arith` suite (`BuiltInSuites.arith(" + questions + ", 1)`: two-digit + and −, operands "
                + "10–99, in the model's training layout) on `" + model + "` (a real 0.9M-parameter network, llama.cpp "
                + "b4916 in process, " + threads + (threads == 1 ? " thread" : " threads") + ", one context of 96 tokens). Each method is the "
                + "orchestrator's own decision function run in memory (`InMemoryRun`); generator-svc's `JobRouter` "
                + "renders every job as the platform does for pool `arith-tiny` (`Q: <prompt>\\nA: `, stop at a "
                + "newline), at most 8 tokens per answer, temperature 0.8 unless stated; run seed "
                + "`" + seed + " · 1,000,003 + question index`, so a rerun draws the same samples. Tokens are prompt + "
                + "completion tokens as the budget counts them (one prefill per request, shared by its samples); the "
                + "byte-level prompt is ~50 tokens, an answer 3–4. Sample i of a request draws from seed + i, so "
                + "every method at one N chooses among the same N samples, and N = 2k extends N = k's samples "
                + "(common random numbers: differences between methods are not sampling noise between them). "
                + String.format(Locale.ROOT, "Wall time %.0f s; the engine sampled %,d tokens in %.0f s "
                + "(%,.0f tokens/s), draws being shared across methods and N.", m.wallS(), m.decodedTokens(),
                m.engineS(), m.decodedTokens() / Math.max(1e-9, m.engineS())));
        report.para("**Verified best-of-N uses an oracle checker**: its verifier is the suite's numeric check against "
                + "the reference, the same check that grades the answers, so it is pass@N — an upper bound for any "
                + "selection among the same samples, not what a learned verifier or reward model would reach. The "
                + "votes (majority, likelihood) never see the reference. The likelihood vote weighs each sample by "
                + "its sequence probability under the model (exp of the summed token log-probabilities the engine "
                + "reports, not length-normalised).");
        List<List<String>> base = new ArrayList<>();
        for (Point p : m.baselines()) {
            base.add(List.of(p.result().config().label(), f3(p.result().accuracy()), f1(p.result().tokensPerTask()),
                    f1(p.completionPerTask())));
        }
        report.table(List.of("one sample", "accuracy", "tokens / question", "completion tokens / question"), base);
        report.table(sweepHeader(m), sweepRows(m));
        ratios(report, m);
        report.para("Reading it: a vote can only pick an answer the samples agree on; where the model's most frequent "
                + "answer is wrong, more samples entrench it, so voting levels off well below pass@N. The likelihood "
                + "vote weighs an answer by count × probability (about N · p(a)² when samples follow the model), "
                + "which is mode-seeking: as N grows it tends to the model's most probable answer, the one greedy "
                + "decoding approximates; it pays most at small N, where counts tie. Only verified selection keeps "
                + "gaining with N here, and its figures are an oracle's. One llama.cpp thread is the default: on "
                + "this shared 2-core machine two threads spin-wait for each other, and in one measurement while "
                + "another job ran they fell to 78 tokens/s against ~1,500 with one thread; the accuracies and "
                + "tokens do not depend on it (the same samples either way).");
        report.emit("./verigen bench arith --questions " + questions + " --seed " + seed + " --max-n " + maxN
                + " --threads " + threads, write);
    }

    private static List<String> sweepHeader(Measured m) {
        List<String> header = new ArrayList<>(List.of("N"));
        for (String method : m.byMethod().keySet()) {
            header.add(method + " accuracy");
            header.add("tokens / question");
        }
        return header;
    }

    private static List<List<String>> sweepRows(Measured m) {
        List<List<String>> rows = new ArrayList<>();
        int count = m.byMethod().values().iterator().next().size();
        for (int i = 0; i < count; i++) {
            List<String> row = new ArrayList<>();
            for (List<Point> points : m.byMethod().values()) {
                Point p = points.get(i);
                if (row.isEmpty()) {
                    row.add(Integer.toString(p.n()));
                }
                row.add(f3(p.result().accuracy()));
                row.add(f1(p.result().tokensPerTask()));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * For each accuracy majority voting reaches (at each N), the tokens every method needs to first reach it, and
     * the ratio to majority's tokens; then the headline: verified best-of-N against the best majority accuracy.
     */
    private static void ratios(Report report, Measured m) {
        List<Map.Entry<String, List<Point>>> methods = new ArrayList<>(m.byMethod().entrySet());
        List<Point> reference = methods.getFirst().getValue();
        String referenceName = methods.getFirst().getKey();
        // the other methods, then each baseline as a method of one point
        Map<String, List<Point>> others = new LinkedHashMap<>();
        methods.subList(1, methods.size()).forEach(e -> others.put(e.getKey(), e.getValue()));
        m.baselines().forEach(p -> others.put(p.result().config().label(), List.of(p)));
        List<String> header = new ArrayList<>(List.of("target: " + referenceName + " @N", "accuracy",
                referenceName + " tokens / question"));
        others.keySet().forEach(name -> header.add(name + ": tokens to reach (× fewer)"));
        List<List<String>> rows = new ArrayList<>();
        for (Point target : reference) {
            double tokens = target.result().tokensPerTask();
            List<String> row = new ArrayList<>(List.of("@" + target.n(), f3(target.result().accuracy()), f1(tokens)));
            for (List<Point> points : others.values()) {
                Point reached = ArithSuiteBench.firstReaching(points, target.result().accuracy());
                row.add(reached == null ? "not reached" : f1(reached.result().tokensPerTask()) + " (@" + reached.n()
                        + ", " + x(tokens / reached.result().tokensPerTask()) + ")");
            }
            rows.add(row);
        }
        report.para("**Token ratio at equal accuracy.** For each accuracy " + referenceName + " reaches at some N, the "
                + "tokens per question each other method (and each one-sample baseline) needs to first reach it (its "
                + "cheapest N that does), and how many times fewer tokens than " + referenceName + " that is.");
        report.table(header, rows);
        Point best = reference.stream().max(Comparator.comparingDouble((Point p) -> p.result().accuracy())
                .thenComparingDouble(p -> -p.result().tokensPerTask())).orElseThrow();
        for (var method : methods.subList(1, methods.size())) {
            Point reached = ArithSuiteBench.firstReaching(method.getValue(), best.result().accuracy());
            report.para(reached == null
                    ? String.format(Locale.ROOT, "**%s** never reaches %s's best accuracy (%.3f at N = %d) here.",
                            method.getKey(), referenceName, best.result().accuracy(), best.n())
                    : String.format(Locale.ROOT, "**%s** reaches %s's best accuracy (%.3f at N = %d, %.1f tokens / "
                                    + "question, %.1f of them completion) at N = %d with %.1f tokens / question (%.1f "
                                    + "completion): %s fewer tokens (%s fewer completion tokens).", method.getKey(),
                            referenceName, best.result().accuracy(), best.n(), best.result().tokensPerTask(),
                            best.completionPerTask(), reached.n(), reached.result().tokensPerTask(),
                            reached.completionPerTask(), x(best.result().tokensPerTask()
                                    / reached.result().tokensPerTask()),
                            x(best.completionPerTask() / reached.completionPerTask())));
        }
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String x(double ratio) {
        return String.format(Locale.ROOT, "%.1f×", ratio);
    }
}
