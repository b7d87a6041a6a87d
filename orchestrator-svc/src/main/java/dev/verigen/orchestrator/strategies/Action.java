package dev.verigen.orchestrator.strategies;

import dev.verigen.contracts.GenerationJob.Role;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What a strategy wants done. The run driver carries actions out; strategies never do I/O themselves. */
public sealed interface Action {

    /**
     * Ask a model pool for {@code n} samples.
     *
     * @param label       names the logical generation ("round-3/beam-1"); it seeds the job, so generations that
     *                    should differ need different labels, and a replay with the same labels draws the same samples
     * @param role        the prompt template generator-svc applies
     * @param pool        the model pool; null means the run's model
     * @param prompt      the material of the role's template; null means the run's prompt
     * @param temperature overrides the run's temperature; null keeps it
     * @param maxTokens   overrides the run's max tokens per sample; null keeps it
     * @param parent      the candidate this generation works from: the one continued, critiqued or refined
     * @param continueParent the samples continue the parent's text (step-wise search); the new candidates' text is the
     *                    parent's text followed by the sample
     * @param oneStep     stop each sample at the end of its next step
     * @param logprobs    ask the engine for each sample's log-probability (a likelihood vote reads them); the run's
     *                    sampling may ask for them too
     * @param progressTokens report each sample's text so far every this many tokens ({@link RunEvent.Progressed});
     *                    0: only the result
     */
    record Generate(String label, Role role, String pool, String prompt, int n, Double temperature, Integer maxTokens,
                    UUID parent, boolean continueParent, boolean oneStep, boolean logprobs, int progressTokens)
            implements Action {
        public Generate {
            label = label == null ? "" : label;
            role = role == null ? Role.GENERATE : role;
            if (n < 1) {
                throw new IllegalArgumentException("n must be positive");
            }
            if (continueParent && parent == null) {
                throw new IllegalArgumentException("a continuation needs a parent");
            }
            if (progressTokens < 0) {
                throw new IllegalArgumentException("progressTokens cannot be negative");
            }
        }

        public Generate(String label, Role role, String pool, String prompt, int n, Double temperature,
                        Integer maxTokens, UUID parent, boolean continueParent, boolean oneStep, boolean logprobs) {
            this(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep, logprobs, 0);
        }

        /** A generation that leaves log-probabilities to the run's sampling settings. */
        public Generate(String label, Role role, String pool, String prompt, int n, Double temperature,
                        Integer maxTokens, UUID parent, boolean continueParent, boolean oneStep) {
            this(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep, false);
        }

        /** {@code n} samples of the run's prompt from the run's model. */
        public Generate(int n) {
            this("", Role.GENERATE, null, null, n, null, null, null, false, false);
        }

        public static Generate samples(String label, int n) {
            return new Generate(label, Role.GENERATE, null, null, n, null, null, null, false, false);
        }

        /** {@code n} next steps of the parent's partial solution. */
        public static Generate nextStep(String label, UUID parent, int n) {
            return new Generate(label, Role.GENERATE, null, null, n, null, null, Objects.requireNonNull(parent), true,
                    true);
        }

        /** {@code n} completions of the parent's partial solution, to the end. */
        public static Generate completion(String label, UUID parent, int n) {
            return new Generate(label, Role.GENERATE, null, null, n, null, null, Objects.requireNonNull(parent), true,
                    false);
        }

        public Generate withPool(String pool) {
            return new Generate(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep,
                    logprobs, progressTokens);
        }

        public Generate withTemperature(Double temperature) {
            return new Generate(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep,
                    logprobs, progressTokens);
        }

        public Generate withMaxTokens(Integer maxTokens) {
            return new Generate(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep,
                    logprobs, progressTokens);
        }

        /** Samples that report their text so far every {@code tokens} tokens. */
        public Generate withProgress(int tokens) {
            return new Generate(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep,
                    logprobs, tokens);
        }

        public Generate withLogprobs(boolean logprobs) {
            return new Generate(label, role, pool, prompt, n, temperature, maxTokens, parent, continueParent, oneStep,
                    logprobs, progressTokens);
        }

        /** A generation in another role (critique, rank, fuse, refine, judge) over {@code prompt}. */
        public static Generate role(String label, Role role, String prompt, int n, UUID parent) {
            return new Generate(label, role, null, Objects.requireNonNull(prompt), n, null, null, parent, false, false);
        }
    }

    /** Check these candidates with the run's verifier. */
    record Verify(List<UUID> candidateIds) implements Action {
        public Verify {
            candidateIds = List.copyOf(candidateIds);
        }
    }

    /**
     * Score these candidates.
     *
     * @param scorer the reward model; null means the run's reward model
     * @param label  names the scoring step, so the strategy can tell its result from others' ({@link
     *               RunEvent.StepFinished#label()}); empty by default
     */
    record Score(List<UUID> candidateIds, String scorer, String label) implements Action {
        public Score {
            candidateIds = List.copyOf(candidateIds);
            label = label == null ? "" : label;
        }

        public Score(List<UUID> candidateIds, String scorer) {
            this(candidateIds, scorer, "");
        }

        public Score(List<UUID> candidateIds) {
            this(candidateIds, null, "");
        }
    }

    /**
     * Stop waiting for these pending steps: their results are still settled against the budget when they come,
     * but the strategy never hears of them.
     */
    record Cancel(List<UUID> stepIds, String reason) implements Action {
        public Cancel {
            stepIds = List.copyOf(stepIds);
        }
    }

    /** Keep this strategy memo with the run; the next decision sees it as {@link RunState#memo}. */
    record Remember(Object memo) implements Action {
        public Remember {
            Objects.requireNonNull(memo, "memo");
        }
    }

    /** The run is done and this candidate is its answer. */
    record Finish(UUID candidateId, String reason) implements Action {
    }

    /** The run cannot produce an answer. */
    record Fail(String code, String detail) implements Action {
    }
}
