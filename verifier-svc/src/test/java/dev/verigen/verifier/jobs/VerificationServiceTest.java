package dev.verigen.verifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.MessageFixtures;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.verifier.VerifierProperties;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.exact.ExactVerifier;
import dev.verigen.verifier.numeric.NumericVerifier;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VerificationServiceTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AnswerExtractor extractor = new AnswerExtractor();
    private final VerificationService service = new VerificationService(new VerifierRegistry(List.of(
            new ExactVerifier(extractor), new NumericVerifier(extractor, new VerifierProperties(65536, 1e-6)))), meters);

    private static VerificationJob job(String type, Map<String, String> options, String reference, String... texts) {
        List<CandidateRef> candidates = java.util.Arrays.stream(texts).map(t -> new CandidateRef(UUID.randomUUID(), t)).toList();
        return new VerificationJob(MessageFixtures.meta(), new VerifierSpec(type, options), "What is 6 * 7?", reference, candidates);
    }

    @Test
    void oneVerdictPerCandidateInOrder() {
        VerificationJob job = job("numeric", Map.of(), "42", "Answer: 42", "Answer: 41", "no idea");
        VerificationResult result = service.verify(job);
        assertThat(result.ok()).isTrue();
        assertThat(result.meta()).isEqualTo(job.meta());
        assertThat(result.verifier()).isEqualTo("numeric");
        assertThat(result.verdicts()).extracting(Verdict::candidateId)
                .containsExactlyElementsOf(job.candidates().stream().map(CandidateRef::candidateId).toList());
        assertThat(result.verdicts()).extracting(Verdict::outcome)
                .containsExactly(Verdict.Outcome.PASS, Verdict.Outcome.FAIL, Verdict.Outcome.FAIL);
        assertThat(result.usage().calls()).isZero();
        assertThat(meters.counter("verigen.verifier.verdicts", "verifier", "numeric", "outcome", "FAIL").count()).isEqualTo(2);
    }

    @Test
    void unknownVerifierIsANonRetryableError() {
        VerificationResult result = service.verify(job("sql", Map.of(), "42", "x"));
        assertThat(result.ok()).isFalse();
        assertThat(result.error().code()).isEqualTo(VerificationService.UNKNOWN_VERIFIER);
        assertThat(result.error().retryable()).isFalse();
        assertThat(result.error().message()).contains("'sql'").contains("exact").contains("numeric");
        assertThat(result.verdicts()).isEmpty();
    }

    @Test
    void invalidOptionsFailTheJob() {
        VerificationResult result = service.verify(job("numeric", Map.of("tolerance", "lots"), "42", "Answer: 42"));
        assertThat(result.error().code()).isEqualTo(VerificationService.INVALID_OPTIONS);
        assertThat(result.error().message()).contains("tolerance");
        assertThat(result.error().retryable()).isFalse();
    }

    @Test
    void resultsOfOddUnicodeCandidatesStillEncode() {
        VerificationJob job = job("exact", Map.of("extract", "false"), "a\uD800b", "\uD800\uDC00\uDFFF Answer: \uD800", "a\uD800b");
        VerificationResult result = service.verify(job);
        byte[] wire = Json.write(result);
        VerificationResult back = Json.read(wire, VerificationResult.class);
        assertThat(back.verdicts()).hasSize(2);
        assertThat(back.verdicts().get(1).outcome()).isEqualTo(Verdict.Outcome.PASS);
    }

    @Test
    void jobDecodedFromJsonEscapesWithLoneSurrogatesIsVerified() {
        String json = new String(Json.write(job("numeric", Map.of(), "42", "x")), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"text\":\"x\"", "\"text\":\"\\ud800 Answer: 42 \\udc00\"");
        VerificationJob job = Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), VerificationJob.class);
        assertThat(job.candidates().getFirst().text()).contains("\uD800");
        VerificationResult result = service.verify(job);
        assertThat(result.verdicts().getFirst().outcome()).isEqualTo(Verdict.Outcome.PASS);
        assertThat(Json.read(Json.write(result), VerificationResult.class).verdicts()).hasSize(1);
    }

    @Test
    void labelsOptionFeedsTheAccountingAndNeverReachesTheVerifier() {
        var stats = new dev.verigen.verifier.stats.VerdictStats(meters);
        AnswerExtractor extractor = new AnswerExtractor();
        var labelled = new VerificationService(new VerifierRegistry(List.of(new ExactVerifier(extractor),
                new NumericVerifier(extractor, new VerifierProperties(65536, 1e-6)))), meters, stats);
        VerificationResult result = labelled.verify(job("numeric", Map.of("labels", "correct,incorrect, incorrect"), "42",
                "Answer: 42", "Answer: 42", "Answer: 41"));
        assertThat(result.ok()).isTrue();
        assertThat(result.verdicts()).extracting(Verdict::outcome)
                .containsExactly(Verdict.Outcome.PASS, Verdict.Outcome.PASS, Verdict.Outcome.FAIL);
        var s = stats.snapshot("numeric");
        assertThat(s.truePositives()).isEqualTo(1);
        assertThat(s.falsePositives()).isEqualTo(1);
        assertThat(s.trueNegatives()).isEqualTo(1);
        assertThat(s.falsePositiveRate()).isEqualTo(0.5);

        labelled.verify(job("numeric", Map.of("labels", "correct"), "42", "Answer: 42", "Answer: 7"));
        assertThat(stats.snapshot("numeric").falseNegatives()).isEqualTo(1);
        assertThat(stats.snapshot("numeric").truePositives()).isEqualTo(2);
    }

    @Test
    void badLabelsFailTheJobAsInvalidOptions() {
        VerificationResult wrongCount = service.verify(job("numeric", Map.of("labels", "correct,incorrect"), "42", "a", "b", "c"));
        assertThat(wrongCount.error().code()).isEqualTo(VerificationService.INVALID_OPTIONS);
        assertThat(wrongCount.error().message()).contains("labels");
        VerificationResult wrongWord = service.verify(job("numeric", Map.of("labels", "maybe"), "42", "a"));
        assertThat(wrongWord.error().code()).isEqualTo(VerificationService.INVALID_OPTIONS);
    }
}
