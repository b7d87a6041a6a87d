package dev.verigen.verifier.answers;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and parses numbers as models write them: {@code -12}, {@code 3.5}, {@code .5}, {@code 1,234,567},
 * {@code 3/4}, {@code \frac{3}{4}}, {@code 12%}, {@code 1e-6}, with ASCII or Unicode minus.
 * A number glued to letters ({@code 42abc}) or written as an exponent or subscript ({@code x^2}) is not a number:
 * accepting it would pass answers that only happen to contain the right digits.
 */
public final class Numbers {

    // number = grouped-thousands | plain | .fraction, optional exponent, optional /denominator, optional percent
    private static final String UNSIGNED = "(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)(?:[eE][-+]?\\d+)?";
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.^_])(-?)(" + UNSIGNED + ")(?:\\s*/\\s*(" + UNSIGNED + "))?(%?)(?![\\w])");
    private static final Pattern FRAC = Pattern.compile("\\\\[dt]?frac\\s*\\{([^{}]*)}\\s*\\{([^{}]*)}");
    private static final MathContext MC = MathContext.DECIMAL128;

    private Numbers() {
    }

    /**
     * A number found in text.
     *
     * @param token   the number as written
     * @param value   its value; a percentage keeps its written value ({@code 12%} is 12), see {@link #percent}
     * @param percent whether it carried a {@code %} sign
     * @param context a short excerpt of the text ending with the number, for evidence
     */
    public record Found(String token, BigDecimal value, boolean percent, String context) {
    }

    /** The last number in {@code text}, after LaTeX and Unicode-minus normalisation. */
    public static Optional<Found> lastNumber(String text) {
        String s = normalize(text);
        Matcher m = NUMBER.matcher(s);
        Found last = null;
        while (m.find()) {
            Found f = toFound(m, s);
            if (f != null) {
                last = f;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Parses text that must be exactly one number (a reference answer), or empty if it is anything else. */
    public static Optional<Found> parseExact(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = normalize(text).strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        Matcher m = NUMBER.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.ofNullable(toFound(m, s));
    }

    static String normalize(String text) {
        String s = text.replace('\u2212', '-').replace('\u2013', '-')
                .replace("\\$", "").replace("$", "")
                .replace("\\left", "").replace("\\right", "")
                .replace("{,}", ",").replace("\\,", "").replace("\\!", "")
                .replace("\\%", "%");
        // \frac{a}{b} → a/b, but only when a and b are already plain numbers: anything else is an expression
        return FRAC.matcher(s).replaceAll(r -> {
            String a = r.group(1).strip();
            String b = r.group(2).strip();
            return Matcher.quoteReplacement(a.matches("-?[\\d.,]+") && b.matches("[\\d.,]+") ? a + "/" + b : r.group());
        });
    }

    private static Found toFound(Matcher m, String in) {
        try {
            BigDecimal value = decimal(m.group(2));
            if (m.group(3) != null) {
                BigDecimal den = decimal(m.group(3));
                if (den.signum() == 0) {
                    return null;
                }
                value = value.divide(den, MC);
            }
            if (!m.group(1).isEmpty()) {
                value = value.negate();
            }
            String context = Text.excerpt(in.substring(Math.max(0, m.start() - 40), m.end()), 80);
            return new Found(m.group(), value, !m.group(4).isEmpty(), context);
        } catch (NumberFormatException | ArithmeticException e) {
            return null; // e.g. an exponent too large for BigDecimal: not a number anyone meant
        }
    }

    private static BigDecimal decimal(String s) {
        BigDecimal d = new BigDecimal(s.replace(",", ""));
        if (Math.abs((long) d.scale()) > 10_000) {
            throw new NumberFormatException("exponent out of range");
        }
        return d;
    }
}
