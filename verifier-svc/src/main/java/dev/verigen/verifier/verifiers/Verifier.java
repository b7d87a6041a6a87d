package dev.verigen.verifier.verifiers;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;

/**
 * A deterministic check of one candidate against a reference. Implementations are Spring beans; the
 * {@link VerifierRegistry} finds them by {@link #type()}, so adding a verifier is adding one {@code @Component}.
 * <p>
 * Return {@link Verdict.Outcome#ERROR} when the verifier cannot decide (e.g. the reference is unusable); throw
 * {@link InvalidOptionException} when the job's options are wrong, which fails the whole job.
 */
public interface Verifier {

    /** The name jobs select this verifier by, e.g. {@code numeric}. */
    String type();

    Verdict verify(CandidateRef candidate, String reference, VerifierOptions options);

    /** One line on what passes, shown by {@code GET /v1/verifiers}. */
    default String description() {
        return "";
    }

    /** The options this verifier reads, shown by {@code GET /v1/verifiers}. */
    default java.util.List<OptionInfo> optionInfo() {
        return java.util.List.of();
    }
}
