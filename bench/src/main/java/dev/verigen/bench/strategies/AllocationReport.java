package dev.verigen.bench.strategies;

import dev.verigen.bench.Args;
import dev.verigen.bench.Report;
import dev.verigen.orchestrator.allocation.CurveBook;
import dev.verigen.orchestrator.allocation.Decision;
import dev.verigen.orchestrator.allocation.Options;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The "Compute-optimal allocation (sim-math)" section of BENCHMARKS.md. */
final class AllocationReport {

    /** How the run was set up. */
    record Setup(int count, long seed, int trainCount, long trainSeed, int orders, Options options,
                 AllocationTraining.Learned learned, long cutSamples) {
    }

    private AllocationReport() {
    }

    static void write(Args args, Setup setup, List<ComputeOptimalBench.Row> rows, ComputeOptimalBench.Row bon64,
                      AllocationBatch.Outcome quarter, Map<String, Integer> bins) throws IOException {
        List<List<String>> table = new ArrayList<>();
        for (ComputeOptimalBench.Row r : rows) {
            table.add(List.of(r.label(), f3(r.accuracy()), f0(r.tokensPerTask()),
                    f3(r.tokensPerTask() / bon64.tokensPerTask()),
                    r.note().isEmpty() ? "-" : r.note().replace("{", "").replace("}", "").replace("=", ": ")));
        }
        ComputeOptimalBench.Row q = rows.stream().filter(r -> r.label().contains(" 1/4 ")).findFirst().orElseThrow();
        boolean reached = q.accuracy() >= bon64.accuracy() && q.tokensPerTask() <= bon64.tokensPerTask() / 4;
        String verdict = String.format(Locale.ROOT, "**Target %s**: at a quarter of best-of-64's tokens "
                        + "compute_optimal answers %.3f (best-of-64: %.3f) and spends %.3f of best-of-64's tokens. "
                        + "Where its items stopped at that budget: %s.",
                reached ? "reached" : "NOT reached", q.accuracy(), bon64.accuracy(),
                q.tokensPerTask() / bon64.tokensPerTask(), reasons(quarter));
        Options options = setup.options();
        CurveBook book = setup.learned().book();
        String command = "./verigen bench compute-optimal --tasks " + setup.count() + " --seed " + setup.seed()
                + " --train-tasks " + setup.trainCount() + " --train-seed " + setup.trainSeed() + " --orders "
                + setup.orders();
        new Report("compute-optimal", "Compute-optimal allocation (sim-math)")
                .para(setup.count() + " sim-math tasks, seed " + setup.seed() + " (the strategies section's suite), "
                        + "SIMULATED engine and reward models (`sim`, `sim-orm`, `sim-prm`; "
                        + SimWorkers.World.STRICT.describe() + "); same run, same seeds for "
                        + "every row. Uniform rows run exactly as in the strategies section. compute_optimal "
                        + "(`orchestrator.allocation.ComputeOptimal`) gets one token budget for the whole batch, a "
                        + "fraction of best-of-64's measured tokens, and decides run by run what to buy for which "
                        + "task; every purchase is an ordinary run (best_of_n samples scored by sim-orm, or a "
                        + "particle_filter / dvts search with sim-prm:last) executed by the orchestrator's own "
                        + "strategy code in memory. Tokens: prompt + completion of every generation of every run, "
                        + "the pilot included; the simulated scorers spend no tokens, for best-of-64 alike. "
                        + "Selection never sees the reference.")
                .table(List.of("pipeline", "accuracy", "tokens / task", "tokens vs best-of-64", "runs bought"), table)
                .para(verdict)
                .para("Per difficulty bin, as each task's 4-sample pilot estimated it (bins are quintiles of the "
                        + "learned difficulty score on the training split), at the 1/4 budget:")
                .table(List.of("pilot bin", "tasks", "compute_optimal accuracy", "compute_optimal tokens / task",
                        "best-of-64 accuracy", "best-of-64 tokens / task"), perBin(options, q, bon64, bins))
                .para(method(setup, book))
                .para(searchNote(book, options, quarter))
                .emit(command, args.flag("write"));
    }

    private static List<List<String>> perBin(Options options, ComputeOptimalBench.Row q, ComputeOptimalBench.Row bon64,
                                             Map<String, Integer> bins) {
        List<List<String>> perBin = new ArrayList<>();
        for (int b = 1; b <= options.bins(); b++) {
            int items = 0;
            int right = 0;
            int bonRight = 0;
            long tokens = 0;
            long bonTokens = 0;
            for (var e : bins.entrySet()) {
                if (e.getValue() == b) {
                    items++;
                    right += q.correct().get(e.getKey()) ? 1 : 0;
                    bonRight += bon64.correct().get(e.getKey()) ? 1 : 0;
                    tokens += q.tokens().get(e.getKey());
                    bonTokens += bon64.tokens().get(e.getKey());
                }
            }
            if (items > 0) {
                perBin.add(List.of(b + (b == 1 ? " (easiest)" : b == options.bins() ? " (hardest)" : ""),
                        Integer.toString(items), f3(right / (double) items), f0(tokens / (double) items),
                        f3(bonRight / (double) items), f0(bonTokens / (double) items)));
            }
        }
        return perBin;
    }

    private static String method(Setup s, CurveBook book) {
        Options o = s.options();
        return String.format(Locale.ROOT, "Method. Phase 1 learns on a disjoint training split, sim-math %d tasks, "
                        + "seed %d (%,d tokens, not counted above): per task one best_of_n run of %d samples and one "
                        + "run of each search arm, the references as labels. %d random orders of each task's samples "
                        + "give, at every stage (4, 8, 16, 32 samples), the features (agreement, the leader's share of "
                        + "the vote mass, mean/max reward score, the leader's mean score) and whether the pooled vote "
                        + "is right then and at every larger size (%,d observations). Per stage a logistic model of "
                        + "'the vote is right' is the difficulty score and its quintiles the %d bins; per (arm, stage, "
                        + "bin) accuracy against size and tokens is fitted monotone (isotonic regression); a voting "
                        + "purchase is costed as measured on the split, %.1f prompt tokens per run (paid again by every "
                        + "purchase) + %.1f per sample. The pooled "
                        + "vote weighs each sample score^k, k chosen on the training split among 1, 2, 4 (mean "
                        + "training accuracy %s; k = %.0f). Phase 2 allocates: a 4-sample pilot per task, then, "
                        + "greedily across tasks and arms, the purchase with the most expected accuracy per token, "
                        + "each task's difficulty re-estimated from all its samples at every stage; a task stops when "
                        + "settled (estimated P(right) ≥ %.2f, or unanimous with mean score ≥ %.2f) or when its "
                        + "curve is flat, and the allocator stops when nothing is worth buying, so a larger budget "
                        + "can go unspent. Answer: the pooled vote over all the task's samples, or a search's own "
                        + "answer when one was bought. Purchases sample at most %d tokens (%d samples of the run were "
                        + "cut at that limit), so their budgets reserve less; spent plus reserved tokens never "
                        + "exceeded the batch budget (checked every round).",
                s.trainCount(), s.trainSeed(), s.learned().tokens(), o.maxSamples(), s.orders(),
                s.learned().observations(), book.bins(), book.runTokens(), book.sampleTokens(),
                String.join(", ", s.learned().exponentScores()),
                book.voteExponent(), o.settleConfidence(), o.settleScore(), o.sampleMaxTokens(), s.cutSamples());
    }

    /** Why (or whether) search arms were bought, in the curves' own numbers for the hardest pilot bin. */
    private static String searchNote(CurveBook book, Options options, AllocationBatch.Outcome quarter) {
        int stage = options.pilotSamples();
        int hardest = book.bins();
        var vote = book.curve(options.votingArm().name(), stage, hardest).orElse(null);
        StringBuilder s = new StringBuilder();
        long searches = quarter.runs().stream().filter(r -> !r.strategy().equals(options.votingArm().name())).count();
        s.append(searches == 0 ? "No search arm was bought: the learned curves never made one the best use of a token. "
                : searches + " search runs were bought at the 1/4 budget. ");
        s.append("In the hardest pilot bin the curves promise");
        if (vote != null) {
            for (var p : vote.points()) {
                s.append(String.format(Locale.ROOT, " %d samples: %.3f at %,.0f tokens;", p.size(), p.accuracy(),
                        p.tokens()));
            }
        }
        for (var arm : options.searchArms()) {
            book.curve(arm.name(), stage, hardest).flatMap(c -> c.at(arm.n())).ifPresent(p -> s.append(String.format(
                    Locale.ROOT, " %s: %.3f at %,.0f tokens;", arm.name(), p.accuracy(), p.tokens())));
        }
        return s.substring(0, s.length() - 1) + " (pooled samples also reuse the pilot's, a search starts afresh).";
    }

    private static String reasons(AllocationBatch.Outcome outcome) {
        Map<Decision.Reason, Integer> count = new TreeMap<>();
        outcome.decisions().values().forEach(d -> count.merge(d.reason(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        count.forEach((r, n) -> parts.add(n + " " + r.name().toLowerCase(Locale.ROOT)));
        return String.join(", ", parts);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
