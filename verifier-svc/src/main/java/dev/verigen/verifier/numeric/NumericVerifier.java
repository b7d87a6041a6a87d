package dev.verigen.verifier.numeric;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.VerifierProperties;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.answers.Extraction;
import dev.verigen.verifier.answers.Numbers;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code numeric}: the candidate's final number equals the reference within a tolerance.
 * Options: {@code tolerance} (absolute, default {@code verigen.verifier.default-tolerance}), {@code relTolerance}
 * (relative to the larger magnitude, default 0; either tolerance suffices), {@code percentAsFraction} (default false:
 * {@code 50%} reads as 50; true: as 0.5), {@code extract} (default true; false parses the whole candidate).
 */
@Component
public class NumericVerifier implements Verifier {

    public static final String TYPE = "numeric";
    static final String NO_NUMBER = "no numeric answer found";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int QUOTE = 80;

    private final AnswerExtractor extractor;
    private final double defaultTolerance;

    public NumericVerifier(AnswerExtractor extractor, VerifierProperties properties) {
        this.extractor = extractor;
        this.defaultTolerance = properties.defaultTolerance();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the candidate's final number equals the reference within a tolerance";
    }

    @Override
    public java.util.List<dev.verigen.verifier.verifiers.OptionInfo> optionInfo() {
        return java.util.List.of(
                new dev.verigen.verifier.verifiers.OptionInfo("tolerance", "number", String.valueOf(defaultTolerance),
                        "absolute tolerance"),
                new dev.verigen.verifier.verifiers.OptionInfo("relTolerance", "number", "0",
                        "tolerance relative to the larger magnitude; either tolerance suffices"),
                new dev.verigen.verifier.verifiers.OptionInfo("percentAsFraction", "boolean", "false",
                        "read 50% as 0.5 instead of 50"),
                new dev.verigen.verifier.verifiers.OptionInfo("extract", "boolean", "true",
                        "extract the final answer; false parses the whole candidate"));
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        double tolerance = options.nonNegative("tolerance", defaultTolerance);
        double relTolerance = options.nonNegative("relTolerance", 0);
        boolean percentAsFraction = options.flag("percentAsFraction", false);
        boolean extract = options.flag("extract", true);
        var id = candidate.candidateId();

        if (reference == null || reference.isBlank()) {
            return new Verdict(id, Outcome.ERROR, null, "no reference answer to compare with");
        }
        Optional<Numbers.Found> ref = Numbers.parseExact(reference);
        if (ref.isEmpty()) {
            return new Verdict(id, Outcome.ERROR, null,
                    "reference '" + Text.excerpt(reference, QUOTE) + "' is not a number; cannot decide");
        }

        Numbers.Found got;
        String from;
        if (extract) {
            Optional<Extraction> answer = extractor.extract(candidate.text());
            if (answer.isEmpty()) {
                return new Verdict(id, Outcome.FAIL, null, NO_NUMBER);
            }
            Optional<Numbers.Found> number = Numbers.lastNumber(answer.get().answer());
            if (number.isEmpty()) {
                return new Verdict(id, Outcome.FAIL, Text.excerpt(answer.get().answer(), 200), NO_NUMBER
                        + " in extracted answer '" + Text.excerpt(answer.get().answer(), QUOTE) + "' from '"
                        + answer.get().source() + "'");
            }
            got = number.get();
            from = "from '" + answer.get().source() + "' (" + answer.get().method().name().toLowerCase(Locale.ROOT) + ")";
        } else {
            Optional<Numbers.Found> number = Numbers.parseExact(Text.tail(candidate.text(), AnswerExtractor.DEFAULT_MAX_SCAN_CHARS));
            if (number.isEmpty()) {
                return new Verdict(id, Outcome.FAIL, null,
                        NO_NUMBER + ": whole candidate '" + Text.excerpt(candidate.text(), QUOTE) + "' is not a number");
            }
            got = number.get();
            from = "from the whole candidate";
        }

        BigDecimal c = value(got, percentAsFraction);
        BigDecimal r = value(ref.get(), percentAsFraction);
        BigDecimal diff = c.subtract(r).abs();
        BigDecimal abs = BigDecimal.valueOf(tolerance);
        BigDecimal rel = BigDecimal.valueOf(relTolerance).multiply(c.abs().max(r.abs()));
        boolean pass = diff.compareTo(abs) <= 0 || diff.compareTo(rel) <= 0;
        String allowed = relTolerance > 0
                ? "max(abs " + tolerance + ", rel " + relTolerance + " × " + show(c.abs().max(r.abs())) + " = " + show(rel) + ")"
                : String.valueOf(tolerance);
        String evidence = "extracted " + Text.excerpt(got.token(), QUOTE) + " " + from + "; reference "
                + Text.excerpt(ref.get().token(), QUOTE) + "; |diff| " + show(diff) + (pass ? " <= " : " > ") + allowed;
        return new Verdict(id, pass ? Outcome.PASS : Outcome.FAIL, Text.excerpt(got.token(), 200), evidence);
    }

    private static BigDecimal value(Numbers.Found n, boolean percentAsFraction) {
        return n.percent() && percentAsFraction ? n.value().divide(HUNDRED) : n.value();
    }

    private static String show(BigDecimal d) {
        String s = d.stripTrailingZeros().toPlainString();
        return s.length() > 40 ? d.round(new java.math.MathContext(12)).stripTrailingZeros().toString() : s;
    }
}
