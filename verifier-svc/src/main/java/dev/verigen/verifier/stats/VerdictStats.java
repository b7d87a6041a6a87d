package dev.verigen.verifier.stats;

import dev.verigen.contracts.Verdict.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * How far each verifier type can be trusted: every verdict counted by outcome and, where the caller supplied a
 * ground-truth {@link Label}, compared with it. A PASS on an incorrect candidate is a false positive, a FAIL on a
 * correct one a false negative; ERROR verdicts decide nothing and are kept out of the rates.
 * <p>
 * In memory and per instance: counts start at zero on every start and each instance counts what it saw. The
 * Micrometer counters ({@code verigen.verifier.labelled{verifier,label,outcome}},
 * {@code verigen.verifier.false.positives{verifier}}, {@code verigen.verifier.false.negatives{verifier}}) are the
 * way to add instances up.
 */
@Component
public class VerdictStats {

    private final Map<String, Tally> byType = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public VerdictStats(MeterRegistry meters) {
        this.meters = meters;
    }

    /** @param type a verifier type that exists (callers keep unknown ones out, so the map stays bounded) */
    public void record(String type, Outcome outcome, Label label) {
        byType.computeIfAbsent(type, t -> new Tally()).add(outcome, label);
        if (label != null) {
            meters.counter("verigen.verifier.labelled", "verifier", type, "label", label.wire(),
                    "outcome", outcome.name()).increment();
            if (outcome == Outcome.PASS && label == Label.INCORRECT) {
                meters.counter("verigen.verifier.false.positives", "verifier", type).increment();
            } else if (outcome == Outcome.FAIL && label == Label.CORRECT) {
                meters.counter("verigen.verifier.false.negatives", "verifier", type).increment();
            }
        }
    }

    public Snapshot snapshot(String type) {
        Tally tally = byType.get(type);
        return tally == null ? Tally.EMPTY.snapshot(type) : tally.snapshot(type);
    }

    /**
     * @param labelled          verdicts that came with a label (errors included)
     * @param labelledErrors    labelled verdicts that were ERROR, so count in no rate
     * @param falsePositiveRate false positives / labelled-incorrect verdicts that were PASS or FAIL; null without any
     * @param falseNegativeRate false negatives / labelled-correct verdicts that were PASS or FAIL; null without any
     * @param precision         true positives / labelled PASS verdicts: how often a pass was right; null without any
     */
    public record Snapshot(String verifier, long passes, long fails, long errors, long labelled,
                           long truePositives, long trueNegatives, long falsePositives, long falseNegatives,
                           long labelledErrors, Double falsePositiveRate, Double falseNegativeRate, Double precision) {
    }

    private static final class Tally {
        static final Tally EMPTY = new Tally();

        private long passes;
        private long fails;
        private long errors;
        private long truePositives;
        private long trueNegatives;
        private long falsePositives;
        private long falseNegatives;
        private long labelledErrors;

        synchronized void add(Outcome outcome, Label label) {
            switch (outcome) {
                case PASS -> passes++;
                case FAIL -> fails++;
                case ERROR -> errors++;
            }
            if (label == null) {
                return;
            }
            switch (outcome) {
                case PASS -> {
                    if (label == Label.CORRECT) {
                        truePositives++;
                    } else {
                        falsePositives++;
                    }
                }
                case FAIL -> {
                    if (label == Label.INCORRECT) {
                        trueNegatives++;
                    } else {
                        falseNegatives++;
                    }
                }
                case ERROR -> labelledErrors++;
            }
        }

        synchronized Snapshot snapshot(String type) {
            long labelled = truePositives + trueNegatives + falsePositives + falseNegatives + labelledErrors;
            return new Snapshot(type, passes, fails, errors, labelled, truePositives, trueNegatives, falsePositives,
                    falseNegatives, labelledErrors, rate(falsePositives, falsePositives + trueNegatives),
                    rate(falseNegatives, falseNegatives + truePositives),
                    rate(truePositives, truePositives + falsePositives));
        }

        private static Double rate(long part, long whole) {
            return whole == 0 ? null : (double) part / whole;
        }
    }
}
