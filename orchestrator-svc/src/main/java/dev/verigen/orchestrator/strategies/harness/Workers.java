package dev.verigen.orchestrator.strategies.harness;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import java.util.List;

/** What stands in for generator/gpu-worker, verifier-svc and reward-model-svc when a strategy runs in memory. */
public interface Workers {

    /**
     * @param prompt  the role's material (the task for GENERATE)
     * @param partial the text continued, or null
     */
    record GenerationCall(String task, Role role, String pool, String prompt, String partial, boolean oneStep, int n,
                          SamplingParams sampling, String label) {
    }

    record Generated(List<GenerationResult.Sample> samples, Usage usage) {
    }

    Generated generate(GenerationCall call);

    /** @return the outcome and the extracted answer */
    record Checked(Verdict.Outcome outcome, String extracted) {
    }

    Checked verify(String prompt, String reference, String text);

    /**
     * The scorer's score of {@code text} as an answer to {@code prompt}. No reference answer is passed: a reward model
     * judges from the task and the answer alone, as real ones do.
     */
    double score(String scorer, String prompt, String text);

    /**
     * A score and the tokens it cost (model-backed scorers: a judge's generations); {@code tokens} −1 when the
     * workers do not know, and the harness then books half the reservation.
     */
    record Scored(double value, long tokens) {
    }

    default Scored scoreWithUsage(String scorer, String prompt, String text) {
        return new Scored(score(scorer, prompt, text), -1);
    }
}
