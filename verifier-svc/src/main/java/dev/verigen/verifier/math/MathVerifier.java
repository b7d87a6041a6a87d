package dev.verigen.verifier.math;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.answers.Extraction;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.OptionInfo;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code math}: the candidate's final answer is mathematically the reference. Both are normalised
 * ({@link MathNormalizer}); when both evaluate to numbers they compare exactly as fractions ({@code \frac{1}{2}} =
 * {@code 0.5}), else as normalised text; tuples and intervals ({@code (1, 2)}, {@code [0, 1)}) compare element-wise
 * with the same brackets.
 * Options: {@code extract} (default true), {@code percentAsFraction} (default false: {@code 50\%} is 50; true: 0.5),
 * {@code tolerance} (absolute, default 0: exact).
 */
@Component
public class MathVerifier implements Verifier {

    public static final String TYPE = "math";
    private static final int QUOTE = 80;
    private static final int MAX_ELEMENTS = 64;

    private final AnswerExtractor extractor;

    public MathVerifier(AnswerExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the final answer equals the reference after LaTeX normalisation: exactly as numbers (fractions exact), else as normalised text; tuples element-wise";
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(
                new OptionInfo("extract", "boolean", "true", "extract the final answer (\\boxed{}, 'Answer:', last number); false reads the whole candidate"),
                new OptionInfo("percentAsFraction", "boolean", "false", "read 50% as 0.5 instead of 50"),
                new OptionInfo("tolerance", "number", "0", "absolute tolerance for numeric answers (0: exact)"));
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        boolean extract = options.flag("extract", true);
        boolean percentAsFraction = options.flag("percentAsFraction", false);
        double tolerance = options.nonNegative("tolerance", 0);
        var id = candidate.candidateId();
        if (reference == null || reference.isBlank()) {
            return new Verdict(id, Outcome.ERROR, null, "no reference answer to compare with");
        }
        if (reference.length() > MathNormalizer.MAX_CHARS) {
            return new Verdict(id, Outcome.ERROR, null, "reference is longer than " + MathNormalizer.MAX_CHARS + " chars");
        }
        String answer;
        String from;
        if (extract) {
            Optional<Extraction> found = extractor.extract(candidate.text());
            if (found.isEmpty()) {
                return new Verdict(id, Outcome.FAIL, null, "no final answer found");
            }
            answer = found.get().answer();
            from = "from '" + found.get().source() + "' (" + found.get().method().name().toLowerCase(Locale.ROOT) + ")";
        } else {
            answer = candidate.text();
            from = "from the whole candidate";
        }
        if (answer.length() > MathNormalizer.MAX_CHARS) {
            return new Verdict(id, Outcome.FAIL, Text.excerpt(answer, 200), "answer " + from + " is longer than "
                    + MathNormalizer.MAX_CHARS + " chars");
        }
        String a = canonical(MathNormalizer.normalize(answer), percentAsFraction);
        String r = canonical(MathNormalizer.normalize(reference), percentAsFraction);
        if (r.isEmpty()) {
            return new Verdict(id, Outcome.ERROR, null, "reference '" + Text.excerpt(reference, QUOTE) + "' is empty after normalisation");
        }
        Comparison c = compare(a, r, percentAsFraction, tolerance);
        String evidence = "answer '" + Text.excerpt(answer, QUOTE) + "' " + from + " → " + Text.excerpt(a, QUOTE)
                + "; reference '" + Text.excerpt(reference, QUOTE) + "' → " + Text.excerpt(r, QUOTE) + "; " + c.how();
        return new Verdict(id, c.equal() ? Outcome.PASS : Outcome.FAIL, Text.excerpt(answer, 200), evidence);
    }

    record Comparison(boolean equal, String how) {
    }

    static Comparison compare(String a, String r, boolean percentAsFraction, double tolerance) {
        Tuple ta = Tuple.of(a);
        Tuple tr = Tuple.of(r);
        if (ta != null || tr != null) {
            if (ta == null || tr == null) {
                return new Comparison(false, ta == null ? "the reference is a tuple, the answer is not" : "the answer is a tuple, the reference is not");
            }
            if (!ta.sameBrackets(tr)) {
                return new Comparison(false, "different brackets: " + ta.open() + "…" + ta.close() + " vs " + tr.open() + "…" + tr.close());
            }
            if (ta.elements().size() != tr.elements().size()) {
                return new Comparison(false, ta.elements().size() + " elements vs " + tr.elements().size());
            }
            for (int i = 0; i < ta.elements().size(); i++) {
                Comparison e = compareOne(ta.elements().get(i), tr.elements().get(i), percentAsFraction, tolerance);
                if (!e.equal()) {
                    return new Comparison(false, "element " + (i + 1) + " differs: " + e.how());
                }
            }
            return new Comparison(true, "all " + ta.elements().size() + " elements equal");
        }
        return compareOne(a, r, percentAsFraction, tolerance);
    }

    private static Comparison compareOne(String a, String r, boolean percentAsFraction, double tolerance) {
        Rational va = value(a, percentAsFraction);
        Rational vr = value(r, percentAsFraction);
        if (va != null && vr != null) {
            if (va.equals(vr)) {
                return new Comparison(true, "equal as numbers (" + va.show() + ")");
            }
            if (tolerance > 0) {
                BigDecimal diff = va.subtract(vr).toBigDecimal().abs();
                boolean within = diff.compareTo(BigDecimal.valueOf(tolerance)) <= 0;
                return new Comparison(within, "numbers " + va.show() + " and " + vr.show() + ", |diff| "
                        + diff.round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString()
                        + (within ? " <= " : " > ") + tolerance);
            }
            return new Comparison(false, "different numbers (" + va.show() + " vs " + vr.show() + ")");
        }
        String sa = percentAsFraction ? a : a.replace("%", "");
        String sr = percentAsFraction ? r : r.replace("%", "");
        if (sa.equals(sr)) {
            return new Comparison(true, "equal as normalised text");
        }
        return new Comparison(false, va == null && vr == null ? "different expressions"
                : (va == null ? "the answer" : "the reference") + " is not a number, the other is");
    }

    private static Rational value(String s, boolean percentAsFraction) {
        try {
            return MathExpr.evaluate(s, percentAsFraction);
        } catch (Rational.NotExact | ArithmeticException | StackOverflowError e) {
            return null;
        }
    }

    /** Outer parentheses around a whole, comma-free expression are noise: {@code (1/2)} is {@code 1/2}. */
    static String canonical(String s, boolean percentAsFraction) {
        while (s.length() >= 2 && s.charAt(0) == '(' && closing(s, 0) == s.length() - 1 && topLevelCommas(s, 1, s.length() - 1) == 0) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int topLevelCommas(String s, int from, int to) {
        int depth = 0;
        int commas = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                commas++;
            }
        }
        return commas;
    }

    /** A tuple, interval or list: {@code (1,2)}, {@code [0,1)}, {@code 1,2,3}. */
    record Tuple(String open, String close, List<String> elements) {

        static Tuple of(String s) {
            String open = "";
            String close = "";
            String inner = s;
            if (s.length() >= 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length() - 1)) >= 0) {
                open = s.substring(0, 1);
                close = s.substring(s.length() - 1);
                inner = s.substring(1, s.length() - 1);
            } else if (s.startsWith("\\{") && s.endsWith("\\}") && s.length() >= 4) {
                open = "{";
                close = "}";
                inner = s.substring(2, s.length() - 2);
            }
            List<String> parts = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    parts.add(inner.substring(start, i));
                    start = i + 1;
                    if (parts.size() > MAX_ELEMENTS) {
                        return null;
                    }
                }
            }
            if (parts.isEmpty() || depth != 0) {
                return null;
            }
            parts.add(inner.substring(start));
            return new Tuple(open, close, parts.stream().map(p -> canonical(p, false)).toList());
        }

        /** A bare list matches a parenthesised tuple; intervals must agree on both ends. */
        boolean sameBrackets(Tuple o) {
            if (open.equals(o.open) && close.equals(o.close)) {
                return true;
            }
            boolean bareOrParen = (open + close).equals("()") || (open + close).isEmpty();
            boolean otherBareOrParen = (o.open + o.close).equals("()") || (o.open + o.close).isEmpty();
            return bareOrParen && otherBareOrParen;
        }
    }
}
