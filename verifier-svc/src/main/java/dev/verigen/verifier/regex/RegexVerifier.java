package dev.verigen.verifier.regex;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.answers.Extraction;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.OptionInfo;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Component;

/**
 * {@code regex}: the candidate (or its extracted final answer) matches a Java regular expression.
 * Options: {@code pattern} (required), {@code mode} ({@code find} default, or {@code full}), {@code flags}
 * (any of {@code i}, {@code m}, {@code s}), {@code extract} (default false: the whole text).
 * <p>
 * A pattern can backtrack catastrophically ({@code (a+)+$}); the match runs on a {@link BudgetedText} that gives up
 * after a budget of character reads or a deadline, which turns that into an ERROR instead of a stuck worker.
 */
@Component
public class RegexVerifier implements Verifier {

    public static final String TYPE = "regex";
    /** Longest text matched; the rest is cut (from the start, since final answers sit at the end). */
    static final int MAX_INPUT_CHARS = 256 * 1024;
    static final int MAX_PATTERN_CHARS = 4096;
    static final long MAX_CHAR_READS = 20_000_000L;
    static final long DEADLINE_NANOS = 200_000_000L;
    static final String TOO_EXPENSIVE = "pattern too expensive";
    private static final int QUOTE = 80;

    private final AnswerExtractor extractor;

    public RegexVerifier(AnswerExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the candidate (or its extracted answer) matches a Java regular expression";
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(
                new OptionInfo("pattern", "string", null, "Java regular expression (required)"),
                new OptionInfo("mode", "string", "find", "find: the pattern occurs somewhere; full: it matches the whole text"),
                new OptionInfo("flags", "string", "", "any of i (case-insensitive), m (multiline), s (dot matches newline)"),
                new OptionInfo("extract", "boolean", "false", "match the extracted final answer instead of the whole candidate"));
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        Pattern pattern = compile(options);
        boolean full = mode(options);
        boolean extract = options.flag("extract", false);
        var id = candidate.candidateId();

        String text;
        String what;
        if (extract) {
            Optional<Extraction> found = extractor.extract(candidate.text());
            if (found.isEmpty()) {
                return new Verdict(id, Outcome.FAIL, null, "no final answer found to match /" + Text.excerpt(pattern.pattern(), QUOTE) + "/");
            }
            text = found.get().answer();
            what = "extracted answer (" + found.get().method().name().toLowerCase(Locale.ROOT) + ") '" + Text.excerpt(text, QUOTE) + "'";
        } else {
            text = candidate.text();
            what = "candidate";
        }
        boolean cut = text.length() > MAX_INPUT_CHARS;
        if (cut) {
            text = Text.tail(text, MAX_INPUT_CHARS);
            what += " (last " + MAX_INPUT_CHARS + " chars)";
        }
        String shown = "/" + Text.excerpt(pattern.pattern(), QUOTE) + "/" + (full ? " (full match)" : "");
        BudgetedText input = new BudgetedText(text, MAX_CHAR_READS, System.nanoTime() + DEADLINE_NANOS);
        try {
            Matcher m = pattern.matcher(input);
            boolean ok = full ? m.matches() : m.find();
            if (ok) {
                String span = text.substring(m.start(), m.end());
                return new Verdict(id, Outcome.PASS, Text.excerpt(span, 200), what + " matches " + shown
                        + " at [" + m.start() + ", " + m.end() + "): '" + Text.excerpt(span, QUOTE) + "'");
            }
            String why = "";
            if (full) {
                m.reset();
                if (m.find()) {
                    why = "; it occurs at [" + m.start() + ", " + m.end() + ") but not as the whole text";
                }
            }
            return new Verdict(id, Outcome.FAIL, extract ? Text.excerpt(text, 200) : null,
                    what + (extract ? "" : " '" + Text.excerpt(text, QUOTE) + "'") + " does not match " + shown + why);
        } catch (BudgetedText.BudgetExceeded e) {
            return new Verdict(id, Outcome.ERROR, null, TOO_EXPENSIVE + ": " + shown + " gave up after " + e.getMessage()
                    + " on " + text.length() + " chars");
        } catch (StackOverflowError e) {
            // deeply recursive patterns (e.g. (a|b)* over long input) exhaust the stack on some inputs
            return new Verdict(id, Outcome.ERROR, null, TOO_EXPENSIVE + ": " + shown + " recursed too deeply on "
                    + text.length() + " chars");
        }
    }

    static Pattern compile(VerifierOptions options) {
        String source = options.values().get("pattern");
        if (source == null || source.isEmpty()) {
            throw new InvalidOptionException("pattern", "option pattern is required (a Java regular expression)");
        }
        if (source.length() > MAX_PATTERN_CHARS) {
            throw new InvalidOptionException("pattern", "option pattern is longer than " + MAX_PATTERN_CHARS + " chars");
        }
        int flags = 0;
        String f = options.values().getOrDefault("flags", "");
        for (char c : f.strip().toCharArray()) {
            flags |= switch (c) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case ',', ' ' -> 0;
                default -> throw new InvalidOptionException("flags",
                        "option flags may hold only i, m and s, was '" + Text.excerpt(f, QUOTE) + "'");
            };
        }
        try {
            return Pattern.compile(source, flags);
        } catch (PatternSyntaxException e) {
            throw new InvalidOptionException("pattern", "option pattern is not a valid regular expression: "
                    + Text.excerpt(e.getDescription(), 120) + " near index " + e.getIndex());
        } catch (StackOverflowError | IllegalArgumentException e) {
            throw new InvalidOptionException("pattern", "option pattern cannot be compiled");
        }
    }

    private static boolean mode(VerifierOptions options) {
        String mode = options.values().get("mode");
        if (mode == null || mode.isBlank()) {
            return false;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "find" -> false;
            case "full" -> true;
            default -> throw new InvalidOptionException("mode", "option mode must be find or full, was '" + Text.excerpt(mode, QUOTE) + "'");
        };
    }
}
