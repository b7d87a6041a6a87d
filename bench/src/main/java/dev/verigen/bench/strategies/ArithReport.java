package dev.verigen.bench.strategies;

import dev.verigen.bench.Report;
import dev.verigen.bench.strategies.ArithSuiteBench.Measured;
import dev.verigen.bench.strategies.ArithSuiteBench.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The BENCHMARKS.md section of {@link ArithSuiteBench}: baselines, the sweep over N, and token ratios. */
final class ArithReport {

    private ArithReport() {
    }

    static void write(Measured m, ArithAllocation.Measured allocated, int questions, long seed, int maxN, int threads,
                      Path model, boolean write) throws IOException {
        var report = new Report("arith", "Real model: arith suite on arith-tiny.gguf");
        var training = allocated.training();
        report.para("The `arith` suite (`BuiltInSuites.arith(" + questions + ", 1)`: " + questions + " distinct "
                + "questions, two-digit + and −, operands 10–99, in the model's training layout) on `" + model + "` (a "
                + "real 0.9M-parameter network, llama.cpp b4916 in process, " + threads
                + (threads == 1 ? " thread" : " threads") + ", one context of 96 tokens). Each method is the "
                + "orchestrator's own decision function run in memory (`InMemoryRun`); generator-svc's `JobRouter` "
                + "renders every job as the platform does for pool `arith-tiny` (`Q: <prompt>\\nA: `, stop at a "
                + "newline), at most 8 tokens per answer, temperature 0.8 unless stated; run seed "
                + "`" + seed + " · 1,000,003 + question index`, so a rerun draws the same samples. Tokens are prompt + "
                + "completion tokens as the budget counts them (one prefill per request, shared by its samples); the "
                + "byte-level prompt is ~50 tokens, an answer 3–4. Sample i of a request draws from seed + i, so "
                + "every method at one N chooses among the same N samples, and N = 2k extends N = k's samples "
                + "(common random numbers: differences between methods are not sampling noise between them). "
                + String.format(Locale.ROOT, "Wall time %.0f s (compute_optimal's training included); the engine "
                + "sampled %,d tokens in %.0f s (%,.0f tokens/s), draws being shared across methods and N.", m.wallS(),
                m.decodedTokens(), m.engineS(), m.decodedTokens() / Math.max(1e-9, m.engineS())));
        report.para("**Verified best-of-N uses an oracle checker**: its verifier is the suite's numeric check against "
                + "the reference, the same check that grades the answers, so it is pass@N — an upper bound for any "
                + "selection among the same samples, not what a learned verifier or reward model would reach. So does "
                + "compute_optimal (verified). The votes (majority, likelihood) and compute_optimal (agreement + "
                + "likelihood) never see the reference. The likelihood vote weighs each sample by its sequence "
                + "probability under the model (exp of the summed token log-probabilities the engine reports, not "
                + "length-normalised).");
        List<List<String>> base = new ArrayList<>();
        for (Point p : m.baselines()) {
            base.add(List.of(p.result().config().label(), f3(p.result().accuracy()), f1(p.result().tokensPerTask()),
                    f1(p.completionPerTask())));
        }
        report.table(List.of("one sample", "accuracy", "tokens / question", "completion tokens / question"), base);
        report.table(sweepHeader(m), sweepRows(m));
        computeOptimal(report, allocated, questions, maxN);

        List<Series> uniform = new ArrayList<>();
        m.byMethod().forEach((name, points) -> uniform.add(series(name, points)));
        Series majority = uniform.getFirst();
        Series verified = uniform.stream().filter(u -> u.name().equals("verified best-of-N")).findFirst()
                .orElseThrow();
        List<Series> allocatedSeries = new ArrayList<>();
        for (var variant : ArithAllocation.VARIANTS) {
            allocatedSeries.add(allocatedSeries(variant.label(), allocated.results().stream()
                    .filter(a -> a.variant().equals(variant)).toList()));
        }
        List<Series> others = new ArrayList<>(uniform.subList(1, uniform.size()));
        m.baselines().forEach(p -> others.add(series(p.result().config().label(), List.of(p))));
        others.addAll(allocatedSeries);
        report.para("**Token ratio at equal accuracy: against majority vote.** For each accuracy majority vote reaches "
                + "at some N, the tokens per question each other method (each one-sample baseline, each "
                + "compute_optimal variant) needs to first reach it (its cheapest N, or budget, that does), and how "
                + "many times fewer tokens than majority vote that is.");
        ratioTable(report, majority, others);
        for (Series s : others) {
            if (s.points().size() > 1) {
                report.para(headline(s, majority));
            }
        }
        report.para("**Token ratio at equal accuracy: against verified best-of-N** (both see the oracle): for each "
                + "accuracy verified best-of-N reaches at some N, the tokens compute_optimal needs to first reach it.");
        ratioTable(report, verified, allocatedSeries);
        report.para(headline(allocatedSeries.getLast(), verified));
        report.para(reading(m, allocated));
        report.emit("./verigen bench arith --questions " + questions + " --seed " + seed + " --max-n " + maxN
                + " --threads " + threads + " --train-questions " + training.requested() + " --train-seed "
                + training.seed() + " --orders " + training.orders() + " --budgets " + allocated.results().stream()
                .map(a -> Integer.toString(a.budgetN())).distinct().collect(Collectors.joining(",")), write);
    }

    /** How compute_optimal was trained and run, and its rows. */
    private static void computeOptimal(Report report, ArithAllocation.Measured allocated, int questions, int maxN) {
        var t = allocated.training();
        StringBuilder books = new StringBuilder();
        allocated.books().forEach((variant, learned) -> books.append(String.format(Locale.ROOT,
                " %s: %,d observations, vote exponent %.0f (mean training accuracy %s), cost model %.1f tokens per run "
                        + "+ %.1f per sample;", variant.label(), learned.observations(),
                learned.book().voteExponent(), String.join(", ", learned.exponentScores()),
                learned.book().runTokens(), learned.book().sampleTokens())));
        report.para("**compute_optimal** (`orchestrator.allocation.ComputeOptimal`, see the compute-optimal section) "
                + "gets one token budget for the whole batch of " + questions + " questions — majority vote @N's "
                + "measured tokens for the batch, N = " + allocated.results().stream().map(a -> "" + a.budgetN())
                .distinct().collect(Collectors.joining(", ")) + " — and decides run by run which question "
                + "gets more samples: a 4-sample pilot each, then, greedily, the purchase with the most expected "
                + "accuracy per token (up to " + maxN + " samples a question), each question's difficulty "
                + "re-estimated from all its samples; it stops when nothing is worth buying, so a larger budget can "
                + "go unspent. A purchase reserves its worst case (the platform's prompt bound, "
                + allocated.promptBound() + " tokens, + 8 per sample) and spent + reserved tokens never exceeded "
                + "the batch budget (checked every round). Every purchase "
                + "is an ordinary self_consistency run (likelihood vote, so the engine reports each sample's "
                + "log-probability) on the same engine, seeded per (question, purchase): its samples are not the "
                + "uniform rows' samples, so its differences against them include sampling noise (one standard "
                + "error of an accuracy near 0.6 over " + questions + " questions is "
                + f3(Math.sqrt(0.24 / questions)) + "). arith-tiny has no reward model, so the allocator reads "
                + "each sample's sequence probability (exp of its log-probability) as the sample's score: the "
                + "difficulty features are agreement, the leader's share of the vote mass and the mean / max / "
                + "leader's sequence probability (and, verified, the pass rate), and the answer is the pooled vote "
                + "weighing each sample probability^k (verified: passing samples first). The curve books (pool "
                + "`arith-tiny`, suite `arith`) are learned on a disjoint split: `BuiltInSuites.arith("
                + t.requested() + ", " + t.seed() + ")` without the evaluated questions, " + t.items()
                + " questions, one " + maxN + "-sample run each, " + t.orders() + " random orders of its samples (tokens not "
                + "counted above);" + books.substring(0, books.length() - 1) + ".");
        List<List<String>> rows = new ArrayList<>();
        for (var a : allocated.results()) {
            rows.add(List.of(a.variant().label(), "majority @" + a.budgetN() + ": " + String.format(Locale.ROOT,
                    "%,d", a.budget()), f3(a.accuracy()), f1(a.tokensPerTask()), f1(a.completionPerTask()),
                    String.format(Locale.ROOT, "%.2f", a.tokens() / (double) a.budget()),
                    a.purchases().toString().replace("{", "").replace("}", "").replace("=", ": "),
                    a.reasons().toString().replace("{", "").replace("}", "").replace("=", ": ")));
        }
        report.table(List.of("pipeline", "batch budget (tokens)", "accuracy", "tokens / question",
                "completion tokens / question", "budget spent", "runs bought", "where questions stopped"), rows);
    }

    /**
     * What the numbers say: why votes level off, and how far compute_optimal can get when every purchase pays the
     * prompt again. The figures are this run's; the reasoning is the cost model's.
     */
    private static String reading(Measured m, ArithAllocation.Measured allocated) {
        List<Point> majority = m.byMethod().get(ArithSuiteBench.MAJORITY);
        Point one = majority.getFirst();
        double c = one.completionPerTask();
        double prompt = one.result().tokensPerTask() - c;
        var variants = ArithAllocation.VARIANTS;
        List<ArithAllocation.Allocated> plain = allocated.results().stream()
                .filter(a -> a.variant().equals(variants.getFirst())).toList();
        List<ArithAllocation.Allocated> verified = allocated.results().stream()
                .filter(a -> a.variant().equals(variants.getLast())).toList();
        ArithAllocation.Allocated smallest = plain.getFirst();
        ArithAllocation.Allocated largest = plain.getLast();
        double perQuestion = smallest.budget() / (double) smallest.tasks();
        double pilot = prompt + 4 * c;
        long extra = smallest.purchases().entrySet().stream().filter(e -> !e.getKey().contains("pilot"))
                .mapToLong(Map.Entry::getValue).sum();
        int stopped = largest.reasons().getOrDefault("saturated", 0) + largest.reasons().getOrDefault("unsolvable", 0);
        Point greedy = m.baselines().getLast();
        List<Point> passAtN = m.byMethod().get("verified best-of-N");
        double bestVote = m.byMethod().entrySet().stream().filter(e -> !e.getKey().equals("verified best-of-N"))
                .flatMap(e -> e.getValue().stream()).mapToDouble(p -> p.result().accuracy()).max().orElse(0);
        bestVote = Math.max(bestVote, plain.stream().mapToDouble(ArithAllocation.Allocated::accuracy).max()
                .orElse(0));
        var vLast = verified.getLast();
        return String.format(Locale.ROOT, "Reading it: a vote can only pick an answer the samples agree on; where the "
                        + "model's most frequent answer is wrong, more samples entrench it, so voting levels off well "
                        + "below pass@N. The likelihood vote weighs an answer by count × probability (about N · p(a)² "
                        + "when samples follow the model), which is mode-seeking: as N grows it tends to the model's "
                        + "most probable answer, the one greedy decoding approximates; it pays most at small N, where "
                        + "counts tie. Only verified selection keeps gaining with N here, and its figures are an "
                        + "oracle's.\n\ncompute_optimal pays for being adaptive in prompts: one request costs %.1f "
                        + "prompt tokens and %.1f per answer, so the prompt is %.0f%% of a single sample's tokens, and "
                        + "every purchase pays it again — k more samples for a question cost %.1f + %.1f·k tokens as "
                        + "a new request, %.1f·k inside the uniform rows' one request. The 4-sample pilot alone costs "
                        + "%.1f tokens per question, %.0f%% of the smallest budget (majority @%d: %.1f per question), "
                        + "so that budget paid for only %d further purchases over %d questions. Without the oracle "
                        + "there is also little to allocate: on this model the vote gains little with N (majority "
                        + "%.3f at N = 4, %.3f at N = %d, while pass@N goes from %.3f to %.3f), so the learned curves "
                        + "are flat for most questions and the allocator stops on its own (at the largest budget %d "
                        + "of %d questions saturated or unsolvable, %.0f%% of the budget spent); its answer is a "
                        + "likelihood-weighted vote, and it levels off where the votes do. Greedy decoding (one sample "
                        + "at T = 0) gets %.3f at %.1f tokens, %.3f below the best any vote or compute_optimal "
                        + "(agreement + likelihood) reached at any cost here. With the oracle the returns per question "
                        + "are very uneven — at the largest budget %d of %d questions were settled on their pilot "
                        + "alone and got nothing more — so the budget goes to the rest: compute_optimal (verified) "
                        + "stops at %.3f with %.1f tokens per question (%.1f of them completion), where verified "
                        + "best-of-N spends the same N on every question. One llama.cpp thread is the default: on "
                        + "this shared 2-core machine two threads spin-wait for each other, and in one measurement "
                        + "while another job ran they fell to 78 tokens/s against ~1,500 with one thread; the "
                        + "accuracies and tokens do not depend on it (the same samples either way).",
                prompt, c, 100 * prompt / (prompt + c), prompt, c, c, pilot, 100 * pilot / perQuestion,
                smallest.budgetN(), perQuestion, extra, smallest.tasks(),
                majority.get(Math.min(2, majority.size() - 1)).result().accuracy(),
                majority.getLast().result().accuracy(), majority.getLast().n(),
                passAtN.get(Math.min(2, passAtN.size() - 1)).result().accuracy(), passAtN.getLast().result().accuracy(),
                stopped, largest.tasks(), 100.0 * largest.tokens() / largest.budget(), greedy.result().accuracy(),
                greedy.result().tokensPerTask(), bestVote - greedy.result().accuracy(), vLast.settledOnPilot(),
                vLast.tasks(), vLast.accuracy(), vLast.tokensPerTask(), vLast.completionPerTask());
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

    /** A way of spending tokens, measured at a few settings (N samples per question, or a batch budget). */
    record Series(String name, List<Reach> points) {
    }

    /** One setting of a series: where it was measured, what it achieved, and its tokens per question. */
    record Reach(String at, double accuracy, double tokens, double completion) {
    }

    static Series series(String name, List<Point> points) {
        return new Series(name, points.stream().map(p -> new Reach("@" + p.n(), p.result().accuracy(),
                p.result().tokensPerTask(), p.completionPerTask())).toList());
    }

    static Series allocatedSeries(String name, List<ArithAllocation.Allocated> rows) {
        return new Series(name, rows.stream().map(a -> new Reach("budget @" + a.budgetN(), a.accuracy(),
                a.tokensPerTask(), a.completionPerTask())).toList());
    }

    /** The cheapest setting of {@code series} reaching {@code accuracy}, or null. */
    static Reach firstReaching(Series series, double accuracy) {
        return series.points().stream().filter(p -> p.accuracy() >= accuracy - 1e-9)
                .min(Comparator.comparingDouble(Reach::tokens)).orElse(null);
    }

    /**
     * For each accuracy the reference series reaches (at each of its settings), the tokens every other series needs
     * to first reach it, and how many times fewer that is.
     */
    private static void ratioTable(Report report, Series reference, List<Series> others) {
        List<String> header = new ArrayList<>(List.of("target: " + reference.name() + " " + "@N", "accuracy",
                reference.name() + " tokens / question"));
        others.forEach(o -> header.add(o.name() + ": tokens to reach (× fewer)"));
        List<List<String>> rows = new ArrayList<>();
        for (Reach target : reference.points()) {
            List<String> row = new ArrayList<>(List.of(target.at(), f3(target.accuracy()), f1(target.tokens())));
            for (Series other : others) {
                Reach reached = firstReaching(other, target.accuracy());
                row.add(reached == null ? "not reached" : f1(reached.tokens()) + " (" + reached.at() + ", "
                        + x(target.tokens() / reached.tokens()) + ")");
            }
            rows.add(row);
        }
        report.table(header, rows);
    }

    /**
     * The highest accuracy of the reference that {@code series} reaches, where and at what ratio; and, when that is
     * not the reference's best, how far short the series stays.
     */
    private static String headline(Series series, Series reference) {
        Reach best = reference.points().stream().max(Comparator.comparingDouble(Reach::accuracy)
                .thenComparingDouble(p -> -p.tokens())).orElseThrow();
        Reach target = null;
        Reach reached = null;
        for (Reach r : reference.points()) {
            Reach hit = firstReaching(series, r.accuracy());
            if (hit != null && (target == null || r.accuracy() > target.accuracy() + 1e-9)) {
                target = r;
                reached = hit;
            }
        }
        Reach top = series.points().stream().max(Comparator.comparingDouble(Reach::accuracy)
                .thenComparingDouble(p -> -p.tokens())).orElseThrow();
        String shortOf = String.format(Locale.ROOT, "never reaches %s's best accuracy (%.3f %s); its best is %.3f "
                + "(%s, %.1f tokens / question).", reference.name(), best.accuracy(), best.at(), top.accuracy(),
                top.at(), top.tokens());
        if (target == null) {
            return "**" + series.name() + "** " + shortOf;
        }
        String reaches = String.format(Locale.ROOT, "**%s** reaches %s%s accuracy (%.3f %s, %.1f tokens / question, "
                        + "%.1f of them completion) %s with %.1f tokens / question (%.1f completion): %s fewer tokens "
                        + "(%s fewer completion tokens)", series.name(), reference.name(),
                target == best ? "'s best" : "'s", target.accuracy(), target.at(), target.tokens(),
                target.completion(), reached.at(), reached.tokens(), reached.completion(),
                x(target.tokens() / reached.tokens()), x(target.completion() / reached.completion()));
        return target == best || target.accuracy() >= best.accuracy() - 1e-9 ? reaches + "."
                : reaches + "; it " + shortOf;
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
