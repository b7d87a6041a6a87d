package dev.verigen.verifier.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RegexVerifierTest {

    private final RegexVerifier verifier = new RegexVerifier(new AnswerExtractor());

    private Verdict check(String candidate, Map<String, String> options) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), null, new VerifierOptions(options));
    }

    @Test
    void findsThePatternAndShowsTheSpan() {
        Verdict v = check("The date is 2024-03-15, I think.", Map.of("pattern", "\\d{4}-\\d{2}-\\d{2}"));
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.extracted()).isEqualTo("2024-03-15");
        assertThat(v.evidence()).contains("[12, 22)").contains("'2024-03-15'");
    }

    @Test
    void fullModeNeedsTheWholeTextAndSaysWhereItOccurs() {
        Map<String, String> full = Map.of("pattern", "\\d+", "mode", "full");
        assertThat(check("12345", full).outcome()).isEqualTo(Outcome.PASS);
        Verdict v = check("abc 123", full);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("does not match /\\d+/ (full match)").contains("occurs at [4, 7)");
        assertThat(check("abc", Map.of("pattern", "\\d")).evidence()).contains("'abc' does not match /\\d/");
    }

    @Test
    void flags() {
        assertThat(check("HELLO", Map.of("pattern", "hello")).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("HELLO", Map.of("pattern", "hello", "flags", "i")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("a\nb", Map.of("pattern", "^b$")).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check("a\nb", Map.of("pattern", "^b$", "flags", "m")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("a\nb", Map.of("pattern", "a.b", "flags", "s")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(check("Ä", Map.of("pattern", "ä", "flags", "i")).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void extractMatchesTheFinalAnswerOnly() {
        Map<String, String> opts = Map.of("pattern", "[A-D]", "mode", "full", "extract", "true");
        assertThat(check("Looking at options A and C... Answer: B", opts).outcome()).isEqualTo(Outcome.PASS);
        Verdict v = check("Looking at A. Answer: none of them", opts);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("extracted answer (marker) 'none of them'");
        assertThat(check("no answer here at all", opts).outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void invalidOptionsNameTheOption() {
        assertThatThrownBy(() -> check("x", Map.of("pattern", "(a")))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("option pattern is not a valid regular expression")
                .extracting(e -> ((InvalidOptionException) e).option()).isEqualTo("pattern");
        assertThatThrownBy(() -> check("x", Map.of()))
                .isInstanceOf(InvalidOptionException.class).extracting(e -> ((InvalidOptionException) e).option()).isEqualTo("pattern");
        assertThatThrownBy(() -> check("x", Map.of("pattern", "x", "mode", "partial")))
                .isInstanceOf(InvalidOptionException.class).extracting(e -> ((InvalidOptionException) e).option()).isEqualTo("mode");
        assertThatThrownBy(() -> check("x", Map.of("pattern", "x", "flags", "ix")))
                .isInstanceOf(InvalidOptionException.class).extracting(e -> ((InvalidOptionException) e).option()).isEqualTo("flags");
        assertThatThrownBy(() -> check("x", Map.of("pattern", "x".repeat(5000))))
                .isInstanceOf(InvalidOptionException.class);
    }

    @Test
    @Timeout(5)
    void classicNestedQuantifierIsDecidedQuickly() {
        // JDK 9+ memoises greedy group loops, so (a+)+$ no longer backtracks exponentially: a quick, correct FAIL
        long t0 = System.nanoTime();
        Verdict v = check("a".repeat(5000) + "!", Map.of("pattern", "(a+)+$"));
        assertThat(v.outcome()).isIn(Outcome.FAIL, Outcome.ERROR);
        assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isLessThan(2000);
    }

    @Test
    @Timeout(5)
    void catastrophicBacktrackingIsAnErrorNotAHang() {
        // a back-reference defeats the JDK's memoisation: 2^n paths, hours without the budget
        long t0 = System.nanoTime();
        Verdict v = check("a".repeat(60) + "!", Map.of("pattern", "(a|aa)+\\1$"));
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).startsWith("pattern too expensive");
        assertThat(ms).isLessThan(2000);

        Verdict nested = check("a".repeat(40) + "!", Map.of("pattern", "((a+)+)\\2$", "mode", "full"));
        assertThat(nested.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    @Timeout(10)
    void hugeInputIsCutAndStaysCheap() {
        String huge = "b".repeat(5_000_000) + " final 42";
        Verdict v = check(huge, Map.of("pattern", "final \\d+$"));
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).contains("last " + RegexVerifier.MAX_INPUT_CHARS + " chars");
        // a pattern that must scan everything quadratically runs out of budget instead of time
        Verdict slow = check("a".repeat(200_000), Map.of("pattern", "(?:a|aa)*b"));
        assertThat(slow.outcome()).isIn(Outcome.ERROR, Outcome.FAIL);
    }

    @Test
    void loneSurrogatesAndOddTextDoNotBreakEvidence() {
        Verdict v = check("x\uD800y\uDC00z", Map.of("pattern", "y."));
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.extracted()).doesNotContain("\uDC00");
        assertThat(check("", Map.of("pattern", "^$")).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void budgetedTextCountsReadsAcrossSubSequences() {
        BudgetedText t = new BudgetedText("abcdef", 3, System.nanoTime() + 1_000_000_000L);
        CharSequence sub = t.subSequence(1, 4);
        assertThat(sub.length()).isEqualTo(3);
        assertThat(sub.toString()).isEqualTo("bcd");
        sub.charAt(0);
        t.charAt(0);
        t.charAt(1);
        assertThatThrownBy(() -> sub.charAt(1)).isInstanceOf(BudgetedText.BudgetExceeded.class);
    }
}
