package dev.verigen.reward.sim;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's notion of a candidate's final answer: the text after the last "Answer:" / "answer is" / "####",
 * else the last number. Deliberately simple; the real extraction lives in verifier-svc.
 */
final class FinalAnswer {

    private static final int MAX_SCAN = 64 * 1024;
    private static final Pattern MARKER = Pattern.compile("(?:####|\\banswer\\b\\s*(?:is\\b)?\\s*[:：]?)\\s*([^\\r\\n]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?|-?\\.\\d+");

    private FinalAnswer() {
    }

    /** Whether the candidate's final answer matches the reference: numerically if the reference is a number. */
    static boolean matches(String candidate, String reference) {
        String text = tail(candidate);
        String answer = stated(text).orElse(null);
        Optional<BigDecimal> ref = number(reference.strip(), true);
        if (ref.isPresent()) {
            Optional<BigDecimal> got = number(answer != null ? answer : text, false);
            return got.isPresent() && got.get().compareTo(ref.get()) == 0;
        }
        return answer != null && normalize(answer).equals(normalize(reference));
    }

    /**
     * What the candidate's last answer marker states; empty when it has none, e.g. a partial solution that a
     * step-wise search has not finished yet.
     */
    static Optional<String> stated(String candidate) {
        String answer = null;
        Matcher m = MARKER.matcher(tail(candidate));
        while (m.find()) {
            if (!m.group(1).isBlank()) {
                answer = m.group(1).strip();
            }
        }
        return Optional.ofNullable(answer);
    }

    /** The last number in {@code s}, if any. */
    static Optional<BigDecimal> lastNumber(String s) {
        return number(s, false);
    }

    private static String tail(String candidate) {
        return candidate.length() > MAX_SCAN ? candidate.substring(candidate.length() - MAX_SCAN) : candidate;
    }

    private static Optional<BigDecimal> number(String s, boolean whole) {
        Matcher m = NUMBER.matcher(s);
        if (whole) {
            return m.matches() ? parse(m.group()) : Optional.empty();
        }
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? Optional.empty() : parse(last);
    }

    private static Optional<BigDecimal> parse(String token) {
        try {
            return Optional.of(new BigDecimal(token.replace(",", "")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String normalize(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
