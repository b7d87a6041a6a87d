package dev.verigen.verifier.answers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.verifier.answers.Extraction.Method;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerExtractorTest {

    private final AnswerExtractor extractor = new AnswerExtractor();

    @Test
    void boxedWinsOverMarkersAndNumbers() {
        var e = extractor.extract("Answer: 7. Then 3 + 4 = 7, so \\boxed{42} and 99 more words").orElseThrow();
        assertThat(e.answer()).isEqualTo("42");
        assertThat(e.method()).isEqualTo(Method.BOXED);
        assertThat(e.source()).contains("\\boxed{42}");
    }

    @Test
    void boxedKeepsNestedBraces() {
        var e = extractor.extract("so x = \\boxed{\\frac{1}{\\sqrt{2}}} done").orElseThrow();
        assertThat(e.answer()).isEqualTo("\\frac{1}{\\sqrt{2}}");
    }

    @Test
    void theLastBoxedCounts() {
        assertThat(extractor.extract("first \\boxed{1} then \\boxed{2}").orElseThrow().answer()).isEqualTo("2");
    }

    @Test
    void unbalancedBoxedFallsBackToAnEarlierCompleteOne() {
        assertThat(extractor.extract("\\boxed{5} and later \\boxed{6 unterminated").orElseThrow().answer()).isEqualTo("5");
    }

    @Test
    void unbalancedOnlyBoxedFallsBackToTheLastNumber() {
        var e = extractor.extract("we get 12 so \\boxed{13").orElseThrow();
        assertThat(e.method()).isEqualTo(Method.LAST_NUMBER);
        assertThat(e.answer()).isEqualTo("13");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Work work. Answer: 42|42",
            "so the answer is 17.|17",
            "The final answer is: **-3/4**|-3/4",
            "Natalia sold 48 clips.⏎#### 72|72",
            "Answer:⏎$1,234$|1,234",
            "answer: Paris|Paris",
            "Answer: 1. Wait, no. Answer: 2|2",
    })
    void markers(String text, String expected) {
        var e = extractor.extract(text.replace('⏎', '\n')).orElseThrow();
        assertThat(e.method()).isEqualTo(Method.MARKER);
        assertThat(e.answer()).isEqualTo(expected);
    }

    @Test
    void lastNumberWhenNothingIsAnnounced() {
        var e = extractor.extract("3 apples and 4 pears make 7 fruits").orElseThrow();
        assertThat(e.method()).isEqualTo(Method.LAST_NUMBER);
        assertThat(e.answer()).isEqualTo("7");
    }

    @Test
    void nothingToExtract() {
        assertThat(extractor.extract("I do not know.")).isEmpty();
        assertThat(extractor.extract("")).isEmpty();
        assertThat(extractor.extract(null)).isEmpty();
    }

    @Test
    void hugeCandidateIsReadOnlyAtItsEndAndQuickly() {
        String huge = "Answer: 1 " + "blah ".repeat(1_000_000) + "so \\boxed{42}"; // ~5 MB
        var e = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> extractor.extract(huge), java.util.Optional::isPresent).orElseThrow();
        assertThat(e.answer()).isEqualTo("42");
        assertThat(e.source().length()).isLessThanOrEqualTo(81);
    }

    @Test
    void answerBeyondTheScanWindowIsNotSeen() {
        var small = new AnswerExtractor(1024);
        assertThat(small.extract("Answer: 9 " + "x".repeat(5000))).isEmpty();
    }

    @Test
    void loneSurrogatesDoNotBreakExtractionAndAreSanitizedInEvidence() {
        var e = extractor.extract("bad \uD800 text \uDC00 Answer: 5 \uD83D").orElseThrow();
        assertThat(e.answer()).startsWith("5");
        assertThat(Text.sanitize(e.source())).isEqualTo(e.source());
        assertThat(e.source()).doesNotContain("\uD800");
    }

    @Test
    void tailNeverSplitsASurrogatePair() {
        String s = "a\uD83D\uDE00b"; // a 😀 b
        assertThat(Text.tail(s, 2)).isEqualTo("b");
        assertThat(Text.tail(s, 3)).isEqualTo("\uD83D\uDE00b");
    }

    @Test
    void sanitizeKeepsValidPairsAndReplacesLoneHalves() {
        assertThat(Text.sanitize("x\uD83D\uDE00y\uDC00")).isEqualTo("x\uD83D\uDE00y\uFFFD");
    }
}
