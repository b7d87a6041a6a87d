package dev.verigen.verifier.exact;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.AnswerExtractor;
import dev.verigen.verifier.answers.Extraction;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code exact}: the candidate's answer equals the reference after whitespace normalisation.
 * Options: {@code extract} (default true; false compares the whole candidate), {@code caseSensitive} (default true).
 */
@Component
public class ExactVerifier implements Verifier {

    public static final String TYPE = "exact";
    private static final int QUOTE = 80;

    private final AnswerExtractor extractor;

    public ExactVerifier(AnswerExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the extracted answer equals the reference after trimming, whitespace collapsing and NFC";
    }

    @Override
    public java.util.List<dev.verigen.verifier.verifiers.OptionInfo> optionInfo() {
        return java.util.List.of(
                new dev.verigen.verifier.verifiers.OptionInfo("extract", "boolean", "true",
                        "extract the final answer; false compares the whole candidate"),
                new dev.verigen.verifier.verifiers.OptionInfo("caseSensitive", "boolean", "true",
                        "compare case-sensitively"));
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        boolean extract = options.flag("extract", true);
        boolean caseSensitive = options.flag("caseSensitive", true);
        if (reference == null || reference.isBlank()) {
            return new Verdict(candidate.candidateId(), Outcome.ERROR, null, "no reference answer to compare with");
        }
        String answer;
        String from;
        Optional<Extraction> found = extract ? extractor.extract(candidate.text()) : Optional.empty();
        if (found.isPresent()) {
            answer = found.get().answer();
            from = "extracted (" + found.get().method().name().toLowerCase(Locale.ROOT) + ") '"
                    + Text.excerpt(answer, QUOTE) + "' from '" + found.get().source() + "'";
        } else {
            // without a recognisable final answer the candidate is taken as a whole, as if extract=false
            answer = candidate.text();
            from = (extract ? "no answer marker found; whole candidate '" : "whole candidate '")
                    + Text.excerpt(answer, QUOTE) + "'";
        }
        String a = normalize(answer);
        String r = normalize(reference);
        boolean equal = caseSensitive ? a.equals(r) : a.toLowerCase(Locale.ROOT).equals(r.toLowerCase(Locale.ROOT));
        String evidence = from + "; reference '" + Text.excerpt(reference, QUOTE) + "'; "
                + (equal ? "equal" : "not equal") + (caseSensitive ? " (case-sensitive)" : " (ignoring case)");
        return new Verdict(candidate.candidateId(), equal ? Outcome.PASS : Outcome.FAIL, Text.excerpt(answer, 200), evidence);
    }

    /** NFC so composed and decomposed accents compare equal; whitespace runs count as one space. */
    static String normalize(String s) {
        return Normalizer.normalize(Text.sanitize(s), Normalizer.Form.NFC).strip().replaceAll("\\s+", " ");
    }
}
