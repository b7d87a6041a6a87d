package dev.verigen.orchestrator.allocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an item's position off the curve book: its stage and difficulty bin, the expected accuracy of its current
 * answer, the ceiling, whether to stop (and why), and what it could buy next with each option's expected gain and
 * cost.
 */
final class Assessor {

    /** Gains below this are noise in the curves, not a reason to spend. */
    static final double MIN_GAIN = 1e-6;

    /**
     * @param target voting: the item's voting samples after the purchase; search: the arm's size
     * @param cap    the budget the purchase's run gets (what the batch reserves for it)
     */
    record Increment(ItemView item, Arm arm, int samples, int target, double gain, double cost, long cap) {
        double ratio() {
            return gain / Math.max(cost, 1e-9);
        }
    }

    /** Where an item stands. {@code stop} is null while it may still buy. */
    record Assessment(ItemView item, Features features, CurveBook.Stage stage, int bin, double confidence,
                      double accuracy, double ceiling, Decision.Reason stop, List<Increment> options) {
    }

    private final Options options;
    private final CurveBook book;

    Assessor(Options options, CurveBook book) {
        this.options = options;
        this.book = book;
    }

    Assessment assess(ItemView item) {
        Features f = Features.of(item.votes(), book.voteExponent());
        CurveBook.Stage stage = book.stageFor(f.samples());
        int bin = stage.bin(f);
        double confidence = stage.confidence(f);
        double ceiling = ceiling(stage, bin);
        double accuracy = votingAccuracy(stage, bin, f.samples(), ceiling);
        if (item.search() != null) {
            Arm arm = arm(item.search().strategy());
            double searched = arm == null ? accuracy : book.curve(arm.name(), stage.samples(), bin)
                    .flatMap(c -> c.at(arm.n())).map(p -> Math.min(p.accuracy(), ceiling)).orElse(accuracy);
            Decision.Reason answered = arm != null && arm.verifying() ? Decision.Reason.VERIFIED
                    : Decision.Reason.SEARCHED;
            return new Assessment(item, f, stage, bin, confidence, searched, ceiling, answered, List.of());
        }
        boolean unanimous = f.samples() >= options.pilotSamples() && f.agreement() >= 1.0
                && f.leaderMeanScore() >= options.settleScore() && options.rewardModel() != null;
        if (confidence >= options.settleConfidence() || unanimous) {
            return new Assessment(item, f, stage, bin, confidence, accuracy, ceiling, Decision.Reason.SETTLED,
                    List.of());
        }
        if (falsePositivesLikelier(f)) {
            return new Assessment(item, f, stage, bin, confidence, accuracy, ceiling, Decision.Reason.FALSE_POSITIVES,
                    List.of());
        }
        if (ceiling < 1 && accuracy >= ceiling - 1e-9) {
            return new Assessment(item, f, stage, bin, confidence, accuracy, ceiling, Decision.Reason.CEILING,
                    List.of());
        }
        List<Increment> all = increments(item, stage, bin, f.samples(), accuracy, ceiling);
        double reachable = all.stream().mapToDouble(i -> accuracy + i.gain()).max().orElse(accuracy);
        Decision.Reason stop = null;
        if (all.isEmpty()) {
            stop = accuracy < 0.5 ? Decision.Reason.UNSOLVABLE : Decision.Reason.SATURATED;
        } else if (options.abstain() && reachable < options.abstainBelow()) {
            stop = Decision.Reason.UNSOLVABLE; // it would abstain whatever it got: spending cannot make it answerable
        }
        List<Increment> affordable = stop != null ? List.of() : all.stream().filter(i -> fitsItem(item, i.cap()))
                .toList();
        if (stop == null && affordable.isEmpty()) {
            stop = Decision.Reason.BUDGET;
        }
        return new Assessment(item, f, stage, bin, confidence, accuracy, ceiling, stop, affordable);
    }

    /**
     * What the item could buy from a position: more voting samples up to each larger rung of the voting curve, or a
     * run of each search arm with a curve for its stage and bin. Only positive expected gains.
     */
    List<Increment> increments(ItemView item, CurveBook.Stage stage, int bin, int samples, double accuracy,
                               double ceiling) {
        List<Increment> out = new ArrayList<>();
        Arm voting = options.votingArm();
        book.curve(voting.name(), stage.samples(), bin).ifPresent(curve -> {
            for (CurveBook.Point p : curve.points()) {
                int extra = p.size() - samples;
                if (extra < 1 || p.size() > options.maxSamples()) {
                    continue;
                }
                double gain = Math.min(curve.accuracy(p.size()), ceiling) - accuracy;
                if (gain > MIN_GAIN) {
                    out.add(new Increment(item, voting, extra, p.size(), gain, votingCost(extra), votingCap(extra)));
                }
            }
        });
        for (Arm arm : options.searchArms()) {
            book.curve(arm.name(), stage.samples(), bin).flatMap(c -> c.at(arm.n())).ifPresent(p -> {
                double gain = Math.min(p.accuracy(), ceiling) - accuracy;
                if (gain > MIN_GAIN) {
                    out.add(new Increment(item, arm, 0, arm.n(), gain, Math.max(1, p.tokens()), arm.maxTokens()));
                }
            });
        }
        return out;
    }

    double votingAccuracy(CurveBook.Stage stage, int bin, int samples, double ceiling) {
        if (samples == 0) {
            return 0;
        }
        return book.curve(options.votingArm().name(), stage.samples(), bin)
                .map(c -> Math.min(c.accuracy(samples), ceiling)).orElse(0.0);
    }

    /**
     * The verifier's precision ceiling for the bin (given rates only: measured ones are in the curves, see
     * {@link Options.VerifierRates}): with solve rate p, false-positive rate f and false-negative rate
     * r, an answer the verifier accepts is right with probability p(1−r) / (p(1−r) + (1−p)f), however many samples
     * are drawn: beyond it more samples only add chances of a false positive.
     */
    double ceiling(CurveBook.Stage stage, int bin) {
        Options.VerifierRates rates = options.verifierRates(book);
        double f = rates.falsePositiveRate();
        if (f <= 0 || !rates.analytic()) {
            return 1.0;
        }
        double p = stage.solveRate(bin);
        double tp = p * (1 - rates.falseNegativeRate());
        return tp + (1 - p) * f <= 0 ? 0 : tp / (tp + (1 - p) * f);
    }

    /**
     * Whether the item's next sample is likelier a false positive than a true positive ("Inference Scaling fLaws":
     * with an imperfect verifier the best N can be small). The item's solve rate p comes from its verified pass rate
     * π = p(1−r) + (1−p)f, with the verifier's false-positive rate f and false-negative rate r; a new sample is a
     * true positive with probability p(1−r) and a false positive with (1−p)f. Given rates only, as the ceiling.
     */
    boolean falsePositivesLikelier(Features features) {
        Options.VerifierRates rates = options.verifierRates(book);
        double f = rates.falsePositiveRate();
        double r = rates.falseNegativeRate();
        if (f <= 0 || !rates.analytic() || features.passRate() == null) {
            return false;
        }
        double informative = 1 - r - f;
        double p = informative <= 0 ? features.passRate()
                : Math.max(0, Math.min(1, (features.passRate() - f) / informative));
        return (1 - p) * f >= p * (1 - r);
    }

    double votingCost(int samples) {
        return samples * book.sampleTokens() + book.runTokens();
    }

    long votingCap(int samples) {
        return options.promptTokens() + (long) samples * options.sampleMaxTokens();
    }

    boolean fitsItem(ItemView item, long cap) {
        return options.maxTokensPerItem() <= 0 || item.spent() + item.reserved() + cap <= options.maxTokensPerItem();
    }

    Arm arm(String name) {
        return options.arms().stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }
}
